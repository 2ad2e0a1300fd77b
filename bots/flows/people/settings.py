"""The `settings` word: language, time zone, quiet hours, the proven phone and where to reach the person."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import menu_button
from bots.flows.people import language, verify
from bots.flows.people.languages import LANGUAGE_NAMES
from bots.flows.routes import people as routes
from bots.messages import Choice
from core.people.model import Channel, ChannelIdentity
from core.people.quiet_hours import parse_quiet_hours
from core.phones import format_international
from core.timezones import parse_timezone

NAME = routes.SETTINGS
QUIET_PRESETS = {
    "2200-0800": (time(22), time(8)),
    "2300-0700": (time(23), time(7)),
    "2100-0900": (time(21), time(9)),
}


async def start(turn: Turn) -> None:
    """Show the person's settings with a button for each."""
    person = turn.person
    choices = [
        turn.choice(routes.language(), "language"),
        turn.choice(routes.timezone(), "timezone"),
        turn.choice(routes.quiet(), "quiet_hours"),
    ]
    if not person.verified:
        choices.append(turn.choice(routes.verify(), "verify_phone"))
    if len(_reach_channels(turn)) > 1:
        choices.append(turn.choice(routes.reach(), "reach_me"))
    turn.ask(
        "settings.show",
        language=LANGUAGE_NAMES.get(person.locale, person.locale),
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
        Choice(routes.set_quiet(key), f"{start:%H:%M}-{end:%H:%M}")
        for key, (start, end) in QUIET_PRESETS.items()
    ]
    choices = [*presets, turn.choice(routes.set_quiet("off"), "quiet_off"), menu_button(turn)]
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
    choices = [turn.choice(routes.set_reach(c), f"channel_{c}") for c in channels]
    choices += [turn.choice(routes.set_reach("last"), "reach_last"), menu_button(turn)]
    turn.ask("settings.ask_reach", choices=choices)
    turn.go(NAME, "reach")


async def set_quiet(turn: Turn, preset: str) -> None:
    """Quiet hours from a preset button, or none."""
    if preset == "off" or preset in QUIET_PRESETS:
        await _set_quiet(turn, *QUIET_PRESETS.get(preset, (None, None)))
    else:
        await start(turn)


async def set_reach(turn: Turn, channel: str) -> None:
    """Where to reach the person first: a channel, or whichever they used last."""
    if channel == "last" or channel in _reach_channels(turn):
        turn.person.preferred_channel = None if channel == "last" else channel
        turn.say("settings.reach_set", reached_on=turn.person.preferred_channel)
    await start(turn)


async def prove_phone(turn: Turn) -> None:
    """Prove a phone, then come back to the settings."""
    await verify.start(turn, then=routes.settings())


async def _timezone(turn: Turn) -> None:
    ask_timezone(turn)


async def _quiet(turn: Turn) -> None:
    ask_quiet(turn)


async def _reach(turn: Turn) -> None:
    ask_reach(turn)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A settings choice no route takes (and Settings itself): the settings."""
    await start(turn)


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on_bare(routes.settings, start),
        on_bare(routes.language, language.start),
        on_bare(routes.timezone, _timezone),
        on_bare(routes.quiet, _quiet),
        on(routes.set_quiet, set_quiet),
        on_bare(routes.verify, prove_phone),
        on_bare(routes.reach, _reach),
        on(routes.set_reach, set_reach),
    ),
    words={"settings": start},
    on_text={"timezone": on_timezone, "quiet": on_quiet},
    steps=(Step("show", start), *(Step(step, start, "show") for step in ("timezone", "quiet", "reach"))),
)
