"""User-facing texts: jinja2 templates looked up by message kind, locale and channel."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time, format_timedelta, get_month_names
from babel.numbers import format_currency, format_decimal, format_percent
from babel.units import format_unit
from jinja2 import (
    ChoiceLoader,
    Environment,
    PackageLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    pass_context,
)
from jinja2.runtime import Context

from bots.messages import Choice, listed_as_lines
from core.timezones import clocks_agree

_AREA_UNITS = {"sqm": "area-square-meter", "sqft": "area-square-foot"}
HTML_CHANNELS = frozenset({"telegram"})


class Texts:
    """Renders `templates/{locale}/{kind}[.{channel}].j2`, falling back to the default locale."""

    def __init__(self, default_locale: str = "en", region: str | None = None) -> None:
        self.default_locale = default_locale
        loader = ChoiceLoader([PackageLoader("templates", "")])
        self._html = self._environment(loader, autoescape=True)
        self._plain = self._environment(loader, autoescape=False)
        for env in (self._html, self._plain):
            env.globals["region"] = region
            env.globals["listed_as_lines"] = listed_as_lines
        self.locales = tuple(sorted({name.split("/")[0] for name in loader.list_templates() if "/" in name}))

    @staticmethod
    def _environment(loader: ChoiceLoader, *, autoescape: bool) -> Environment:
        env = Environment(
            loader=loader,
            autoescape=autoescape,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        env.filters.update(
            money=_money,
            area=_area,
            number=_number,
            percent=_percent,
            duration=_duration,
            time_left=_time_left,
            clock=_clock,
            when=_when,
            day=_day,
            hour=_hour,
            date_only=_date_only,
            yours=_yours,
            month_name=_month_name,
            country=_country,
        )
        return env

    def render(self, kind: str, *, locale: str, channel: str, **context: Any) -> str:
        """The text of message `kind` for a person speaking `locale` on `channel`."""
        return self._template(kind, locale, channel).render(locale=locale, channel=channel, **context).strip()

    def compose(
        self, kind: str, *, locale: str, channel: str, choices: Sequence[Choice], **context: Any
    ) -> str:
        """A message with its choices for channels that list them as text.

        A channel's own variant (`kind.sms.j2`) lays out the whole message, choices included; a shared
        template gets the channel's choice list (`_choices.sms.j2`) appended, where the channel has one.
        """
        template = self._template(kind, locale, channel)
        text = template.render(locale=locale, channel=channel, choices=choices, **context).strip()
        if not choices or (template.name and template.name.endswith(f".{channel}.j2")):
            return text
        footer = self._optional(f"_choices.{channel}", locale, channel)
        listed = footer.render(locale=locale, channel=channel, choices=choices).strip() if footer else ""
        return f"{text}\n\n{listed}" if listed else text

    def _template(self, kind: str, locale: str, channel: str) -> Template:
        env = self._html if channel in HTML_CHANNELS else self._plain
        names = [f"{loc}/{kind}.{channel}.j2" for loc in self._locales(locale)]
        names += [f"{loc}/{kind}.j2" for loc in self._locales(locale)]
        return env.select_template(names)

    def _optional(self, kind: str, locale: str, channel: str) -> Template | None:
        try:
            return self._plain.select_template([f"{loc}/{kind}.j2" for loc in self._locales(locale)])
        except TemplateNotFound:
            return None

    def label(self, key: str, *, locale: str, **params: Any) -> str:
        """A button label from `templates/{locale}/labels.j2`, where each label is a macro."""
        for loc in self._locales(locale):
            try:
                module = self._plain.get_template(f"{loc}/labels.j2").module
            except TemplateNotFound:
                continue
            macro = getattr(module, key.replace(".", "_"), None)
            if macro is not None:
                return str(macro(**params)).strip()
        raise KeyError(f"no label {key!r} for locale {locale!r}")

    def day(self, value: datetime, timezone: str, *, locale: str) -> str:
        """A date in `timezone` as a button shows it ("Sat 28 Nov")."""
        return _format_day(value, timezone, self._babel(locale))

    def hour(self, value: datetime, timezone: str, *, locale: str) -> str:
        """A time of day in `timezone` as a button shows it ("10:30")."""
        return _format_hour(value, timezone, self._babel(locale))

    def moment(self, value: datetime, timezone: str, *, locale: str) -> str:
        """A day and time in `timezone` as a button shows it ("Sat 28 Nov 10:30")."""
        return f"{self.day(value, timezone, locale=locale)} {self.hour(value, timezone, locale=locale)}"

    def date(self, value: date, *, locale: str) -> str:
        """A calendar date as a button shows it ("Sat 5 Dec")."""
        return format_date(value, format="EEE d MMM", locale=self._babel(locale))

    def _babel(self, locale: str) -> Locale:
        return _regional(locale, self._html.globals.get("region"))

    def _locales(self, locale: str) -> list[str]:
        language = locale.split("_")[0].split("-")[0]
        return list(dict.fromkeys([locale, language, self.default_locale]))


def _babel_locale(context: Context) -> Locale:
    """The person's locale, with the deployment's region where the locale names none ("en" in GB: 22:00)."""
    return _regional(str(context.get("locale", "en")), context.get("region"))


def _regional(name: str, region: Any) -> Locale:
    locale = Locale.parse(name.replace("-", "_"))
    if locale.territory or not region:
        return locale
    try:
        return Locale.parse(f"{locale.language}_{region}")
    except (ValueError, UnknownLocaleError):
        return locale


@pass_context
def _money(context: Context, amount: Decimal | int, currency: str) -> str:
    whole = Decimal(amount) == Decimal(amount).to_integral_value()
    pattern = "¤#,##0" if whole else None
    return format_currency(
        amount, currency, format=pattern, locale=_babel_locale(context), currency_digits=not whole
    )


@pass_context
def _area(context: Context, value: Decimal | int, units: str | None) -> str:
    unit = _AREA_UNITS.get((units or "sqm").lower(), "area-square-meter")
    text = format_unit(Decimal(value).normalize(), unit, length="short", locale=_babel_locale(context))
    return text.replace("m²", "sq m") if context.get("channel") == "sms" else text


@pass_context
def _number(context: Context, value: Decimal | int) -> str:
    return format_decimal(value, locale=_babel_locale(context))


@pass_context
def _percent(context: Context, value: Decimal | float) -> str:
    """A share as a percentage with at most one decimal ("94.7%")."""
    return format_percent(value, format="#,##0.#%", locale=_babel_locale(context))


@pass_context
def _duration(context: Context, value: timedelta) -> str:
    """A wait such as "45 seconds" or "7 minutes", rounded up so that trying then works."""
    seconds = max(1, math.ceil(value.total_seconds()))
    if seconds > 90:
        seconds = math.ceil(seconds / 60) * 60
    return format_timedelta(
        timedelta(seconds=seconds), threshold=2, format="long", locale=_babel_locale(context)
    )


@pass_context
def _time_left(context: Context, value: timedelta) -> str:
    """Time until a deadline, rounded down so it is never more than there is ("47 hours", "2 days")."""
    minutes = max(1, int(value.total_seconds() // 60))
    if minutes >= 48 * 60:
        amount, unit = minutes // (24 * 60), "duration-day"
    elif minutes >= 60:
        amount, unit = minutes // 60, "duration-hour"
    else:
        amount, unit = minutes, "duration-minute"
    return format_unit(amount, unit, length="long", locale=_babel_locale(context))


@pass_context
def _clock(context: Context, value: time | datetime | None) -> str:
    """A time of day in the person's locale ("22:00")."""
    if value is None:
        return ""
    return format_time(value, format="short", locale=_babel_locale(context))


@pass_context
def _when(context: Context, value: datetime, timezone: str) -> str:
    """A date and time in `timezone`, in the person's locale ("Sat 21 Nov, 10:30")."""
    local = value.astimezone(ZoneInfo(timezone))
    return format_datetime(local, format="EEE d MMM, HH:mm", locale=_babel_locale(context))


@pass_context
def _yours(context: Context, value: datetime, home: str, reader: str) -> str:
    """The reader's own reading of a time shown in `home`'s zone, for "17:00 Leeds time (21:00 yours)".

    Nothing when both clocks read the same; the time alone when the date is the same; else date and time,
    in the pattern of `when`.
    """
    if clocks_agree(value, home, reader):
        return ""
    own, there = value.astimezone(ZoneInfo(reader)), value.astimezone(ZoneInfo(home))
    pattern = "HH:mm" if own.date() == there.date() else "EEE d MMM, HH:mm"
    return format_datetime(own, format=pattern, locale=_babel_locale(context))


@pass_context
def _day(context: Context, value: datetime, timezone: str) -> str:
    """A date in `timezone` ("Sat 28 Nov")."""
    return _format_day(value, timezone, _babel_locale(context))


@pass_context
def _hour(context: Context, value: datetime, timezone: str) -> str:
    """A time of day in `timezone` ("10:30")."""
    return _format_hour(value, timezone, _babel_locale(context))


def _format_day(value: datetime, timezone: str, locale: Locale) -> str:
    return format_datetime(value.astimezone(ZoneInfo(timezone)), format="EEE d MMM", locale=locale)


def _format_hour(value: datetime, timezone: str, locale: Locale) -> str:
    return format_time(value.astimezone(ZoneInfo(timezone)), format="short", locale=locale)


@pass_context
def _date_only(context: Context, value: date) -> str:
    """A calendar date ("Sat 5 Dec")."""
    return format_date(value, format="EEE d MMM", locale=_babel_locale(context))


@pass_context
def _month_name(context: Context, month: int) -> str:
    """A month's full name in the person's language ("February")."""
    return str(get_month_names("wide", locale=_babel_locale(context))[month])


@pass_context
def _country(context: Context, region: str) -> str:
    """A region's name in the person's language ("United Kingdom" for GB); the code when babel has none."""
    return str(_babel_locale(context).territories.get(region.upper(), region))
