"""The `settings` word: language, time zone, quiet hours, the proven phone and where to reach the person."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from bots.dialog.turn import Flow, Step, Turn
from bots.flows.common import menu_button
from bots.flows.people import language, verify
from bots.messages import Choice
from core.people.model import Channel, ChannelIdentity
from core.people.quiet_hours import parse_quiet_hours
from core.phones import format_international
from core.timezones import parse_timezone

NAME = "settings"
QUIET_PRESETS = {
    "2200-0800": (time(22), time(8)),
    "2300-0700": (time(23), time(7)),
    "2100-0900": (time(21), time(9)),
}


async def start(turn: Turn) -> None:
    """Show the person's settings with a button for each."""
    person = turn.person
    choices = [
        turn.choice(f"{NAME}:language", "language"),
        turn.choice(f"{NAME}:timezone", "timezone"),
        turn.choice(f"{NAME}:quiet", "quiet_hours"),
    ]
    if not person.verified:
        choices.append(turn.choice(f"{NAME}:verify", "verify_phone"))
    if len(_reach_channels(turn)) > 1:
        choices.append(turn.choice(f"{NAME}:reach", "reach_me"))
    turn.ask(
        "settings.show",
        language=language.LANGUAGE_NAMES.get(person.locale, person.locale),
        timezone=person.timezone,
        local_now=turn.now.astimezone(ZoneInfo(person.timezone)),
        quiet_start=person.quiet_start,
        quiet_end=person.quiet_end,
        phone=format_international(person.phone) if person.phone else None,
        preferred=person.preferred_channel,
        choices=[*choices, menu_button(turn)],
    )
    turn.go(NAME, "show")


def ask_timezone(turn: Turn, kind: str = "settings.ask_timezone") -> None:
    """Ask for a city or time zone name."""
    turn.ask(kind, timezone=turn.person.timezone, choices=[menu_button(turn)])
    turn.go(NAME, "timezone")


async def on_timezone(turn: Turn, text: str) -> None:
    """Set the time zone typed; one we cannot place asks again with examples."""
    zone = parse_timezone(text)
    if zone is None:
        ask_timezone(turn, "settings.bad_timezone")
        return
    turn.person.timezone = zone
    turn.say("settings.timezone_set", timezone=zone, local_now=turn.now.astimezone(ZoneInfo(zone)))
    await start(turn)


def ask_quiet(turn: Turn, kind: str = "settings.ask_quiet") -> None:
    """Offer common quiet hours, or none, or typed hours."""
    presets = [
        Choice(f"{NAME}:quiet_set:{key}", f"{start:%H:%M}-{end:%H:%M}")
        for key, (start, end) in QUIET_PRESETS.items()
    ]
    choices = [*presets, turn.choice(f"{NAME}:quiet_set:off", "quiet_off"), menu_button(turn)]
    turn.ask(kind, choices=choices)
    turn.go(NAME, "quiet")


async def on_quiet(turn: Turn, text: str) -> None:
    """Set quiet hours typed as "22-8" or "10pm-7am", or "off"."""
    hours = parse_quiet_hours(text)
    if hours is None:
        ask_quiet(turn, "settings.bad_quiet")
        return
    await _set_quiet(turn, hours.start, hours.end)


async def _set_quiet(turn: Turn, start_at: time | None, end_at: time | None) -> None:
    person = turn.person
    person.quiet_start, person.quiet_end = start_at, end_at
    turn.say("settings.quiet_set", quiet_start=person.quiet_start, quiet_end=person.quiet_end)
    await start(turn)


def _reachable(turn: Turn) -> list[ChannelIdentity]:
    """Where Doorstep may start a conversation: channels the person wrote from, and the number they proved
    by code, which takes texts even if they never wrote from it."""
    return [
        identity
        for identity in turn.person.identities
        if identity.channel in turn.setup.channels
        and identity.opted_out_at is None
        and identity.unreachable_at is None
        and (identity.last_inbound_at is not None or _proven_number(turn, identity))
    ]


def _proven_number(turn: Turn, identity: ChannelIdentity) -> bool:
    return (
        identity.channel == Channel.SMS
        and identity.verified_at is not None
        and identity.address == turn.person.phone
    )


def _reach_channels(turn: Turn) -> list[str]:
    return sorted({identity.channel for identity in _reachable(turn)})


def ask_reach(turn: Turn) -> None:
    """Offer each channel the person can be reached on, or whichever they used last."""
    channels = _reach_channels(turn)
    choices = [turn.choice(f"{NAME}:reach_set:{c}", f"channel_{c}") for c in channels]
    choices += [turn.choice(f"{NAME}:reach_set:last", "reach_last"), menu_button(turn)]
    turn.ask("settings.ask_reach", choices=choices)
    turn.go(NAME, "reach")


async def on_choice(turn: Turn, action: str, arg: str | None) -> None:
    """Act on a settings button."""
    if action == "language":
        await language.start(turn)
    elif action == "timezone":
        ask_timezone(turn)
    elif action == "quiet":
        ask_quiet(turn)
    elif action == "quiet_set" and (arg == "off" or arg in QUIET_PRESETS):
        await _set_quiet(turn, *QUIET_PRESETS.get(arg or "", (None, None)))
    elif action == "verify":
        await verify.start(turn, then=f"{NAME}:show")
    elif action == "reach":
        ask_reach(turn)
    elif action == "reach_set" and (arg == "last" or arg in _reach_channels(turn)):
        turn.person.preferred_channel = None if arg == "last" else arg
        turn.say("settings.reach_set", reached_on=turn.person.preferred_channel)
        await start(turn)
    else:
        await start(turn)


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=on_choice,
    on_text={"timezone": on_timezone, "quiet": on_quiet},
    steps=(Step("show", start), *(Step(step, start, "show") for step in ("timezone", "quiet", "reach"))),
)
