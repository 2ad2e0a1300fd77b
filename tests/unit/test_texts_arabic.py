"""The Arabic templates: one for every English one, short labels, and cards formatted for "ar"."""

# ruff: noqa: RUF001 - Arabic text on purpose: ruff takes Arabic letters such as alef for Latin look-alikes.

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from jinja2 import meta

from bots.channels.text_limits import sms_segments
from bots.messages import Choice
from bots.texts import Texts
from tests.support import sample_listing

TEXTS = Texts("en", "GB")  # as deployed: "ar" in GB is no babel locale, so the filters format for "ar"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CHANNELS = ("telegram", "sms", "whatsapp")
ARABIC = re.compile("[\u0600-\u06ff]")
LRM = "\u200e"


SECOND = sample_listing(
    listing_key="LS16-0002",
    list_price=Decimal("425000"),
    property_sub_type="Semi-detached house",
    bedrooms_total=3,
    bathrooms_total_integer=2,
    living_area=Decimal("110"),
    unparsed_address="7 Otley Road",
    subdivision_name="Far Headingley",
    postal_code="LS16 5JT",
)

STARTS = datetime(2025, 11, 21, 14, 30, tzinfo=UTC)


def viewing(**overrides: object) -> SimpleNamespace:
    """A viewing as templates see it."""
    fields = dict(status="confirmed", starts_at=STARTS, viewers=2, cancelled_by="buyer", cancel_reason=None)
    return SimpleNamespace(**{**fields, **overrides})


VIEWING_FULL: dict[str, Any] = dict(
    v=viewing(cancel_reason="سفر مفاجئ", status="proposed"),
    old=viewing(starts_at=datetime(2025, 11, 20, 9, tzinfo=UTC)),
    tz="Asia/Dubai",
    buyer="Mohammed",
    by="seller",
    clash=True,
    alternatives=[STARTS],
    margin=timedelta(minutes=30),
    now=STARTS - timedelta(hours=2),
    mine=SimpleNamespace(
        any=True,
        viewing=viewing(status="pending"),
        offer=SimpleNamespace(
            amount=Decimal("270000"),
            currency_code="GBP",
            status="pending",
            made_by="seller",
            expires_at=STARTS + timedelta(hours=20),
        ),
    ),
    confirmed=True,
    side="seller",
    calendar_url="https://x.test/c.ics",
    most=6,
    viewers=3,
    instant=True,
    day=STARTS,
    starts=[STARTS, STARTS + timedelta(hours=1)],
    completed=True,
    status="expired",
    days=[0, 1, 5],
    settings=SimpleNamespace(
        slot_minutes=30, buffer_minutes=15, instant=True, notice_minutes=120, window_days=7
    ),
    window=SimpleNamespace(start=time(10), end=time(16)),
    weekly=[
        ([0, 1], SimpleNamespace(start=time(17), end=time(19))),
        ([5], SimpleNamespace(start=time(10), end=time(16))),
    ],
    overrides=[
        SimpleNamespace(day=date(2025, 12, 5), windows=[{"start": "12:00", "end": "15:00"}]),
        SimpleNamespace(day=date(2025, 12, 6), windows=[]),
    ],
    upcoming=[
        SimpleNamespace(v=viewing(), l=sample_listing(), side="seller", buyer="Ali"),
        SimpleNamespace(v=viewing(status="pending"), l=sample_listing(), side="buyer", buyer="Ali"),
    ],
    past=[
        SimpleNamespace(
            v=viewing(status="lapsed"), l=sample_listing(unparsed_address=None), side="seller", buyer="Ali"
        )
    ],
)
VIEWING_SPARSE: dict[str, Any] = dict(
    VIEWING_FULL,
    v=viewing(viewers=1),
    tz="Europe/London",
    by="buyer",
    clash=False,
    alternatives=[],
    mine=None,
    confirmed=False,
    side="buyer",
    calendar_url=None,
    viewers=11,
    instant=False,
    starts=[],
    completed=False,
    status="unknown",
    days=[],
    settings=None,
    overrides=[],
    upcoming=[SimpleNamespace(v=viewing(), l=sample_listing(), side="buyer", buyer="")],
    past=[],
)

MADE = datetime(2025, 11, 20, 9, tzinfo=UTC)


def offer(**overrides: object) -> SimpleNamespace:
    """An offer as templates see it."""
    fields = dict(
        amount=Decimal("270000"),
        currency_code="GBP",
        status="pending",
        made_by="buyer",
        position="first_time",
        completion_date=date(2026, 3, 31),
        message="نحب الحديقة كثيراً.",
        expires_at=MADE + timedelta(hours=48),
        created_at=MADE,
    )
    return SimpleNamespace(**{**fields, **overrides})


OFFER_FULL: dict[str, Any] = dict(
    o=offer(made_by="seller", amount=Decimal("280000.50")),
    share=Decimal("0.947"),
    left=timedelta(hours=30),
    contacts=["Sam, +44 7700 900555", "سارة, +44 7700 900556"],
    history=[
        dict(o=offer(), buyer="Mohammed", tz="Europe/London"),
        dict(o=offer(made_by="seller", amount=Decimal("280000.50")), buyer="Mohammed", tz="Europe/London"),
    ],
    selling=[
        SimpleNamespace(
            o=offer(),
            l=sample_listing(),
            side="seller",
            buyer="Ali",
            left=timedelta(hours=5),
            tz="Europe/London",
        ),
        SimpleNamespace(
            o=offer(made_by="seller", status="superseded"),
            l=sample_listing(unparsed_address=None),
            side="seller",
            buyer="Ali",
            left=timedelta(hours=-1),
            tz="Europe/London",
        ),
    ],
    buying=[
        SimpleNamespace(
            o=offer(made_by="seller"),
            l=SECOND,
            side="buyer",
            buyer="Mohammed",
            left=timedelta(days=2),
            tz="UTC",
        ),
        SimpleNamespace(
            o=offer(status="pending"), l=SECOND, side="buyer", buyer="", left=timedelta(0), tz="UTC"
        ),
    ],
    amount=Decimal("270000"),
    position="mortgage_aip",
    completion=date(2026, 3, 31),
    message="نحب الحديقة كثيراً.",
    hours=48,
    minimum=Decimal("242250"),
    percent=85,
    currency="GBP",
    times=10,
    missing=SimpleNamespace(day=29, month=2, year=2027),
    ending=SimpleNamespace(kind="withdrawn", side="buyer", at=MADE, detail=None),
)
OFFER_SPARSE: dict[str, Any] = dict(
    OFFER_FULL,
    o=offer(position=None, completion_date=None, message=None, status="withdrawn"),
    left=timedelta(hours=-2),
    contacts=[],
    history=[],
    selling=[],
    buying=[SimpleNamespace(o=offer(), l=SECOND, side="buyer", buyer="", left=timedelta(hours=3), tz="UTC")],
    position=None,
    completion=None,
    message=None,
    hours=1,
    ending=None,
    missing=None,
)

# Every variable any template reads, as the flows pass them (bots/flows/*.py).
FULL = dict(
    l=sample_listing(
        public_remarks="Bright flat near the park.",
        original_list_price=Decimal("300000"),
        close_price=Decimal("280000"),
        media=[object(), object()],
        feed_listing_key="LMLS0000001",
        originating_system_name="LeedsMLS",
    ),
    address="14 Cardigan Road, Leeds LS6 1LF",
    photos=2,
    count=3,
    most_mb=10,
    text="LS99",
    sub_type="semi",
    lowest=Decimal("1000"),
    highest=Decimal("100000000"),
    seller_phone="+44 7700 900123",
    street="14 Cardigan Road",
    city="Leeds",
    first=1,
    has_draft=True,
    listings=[sample_listing(), SECOND, sample_listing(listing_key="LS6-0003", standard_status="Withdrawn")],
    photo_url="https://x.test/p.jpg",
    area="Headingley",
    shown_from=1,
    shown_to=3,
    total=12,
    name="Mohammed",
    role="seller",
    managed=True,
    limit=60,
    code="#CODE#",
    minutes=5,
    prompt="What would you like to do?",
    has_choices=True,
    media_kind="photo",
    takes_text=True,
    understood=False,
    number=9,
    low=6,
    high=7,
    lines=True,
    timezone="Asia/Dubai",
    local_now=datetime(2025, 11, 21, 14, 30, tzinfo=UTC),
    quiet_start=time(22),
    quiet_end=time(8),
    language="العربية",
    phone="+44 7700 900123",
    preferred="whatsapp",
    example="+44 7700 900123",
    local_example="07700 900123",
    home="GB",
    merged=True,
    wait=timedelta(minutes=7),
    tries_left=3,
    via="whatsapp",
    reached_on="whatsapp",
    verified=True,
    as_broker=True,
    as_buyer=True,
    as_seller=True,
    actor="سارة",
    actor_role="seller",
    price=Decimal("280000"),
    old_price=Decimal("285000"),
    new_price=Decimal("270000"),
    why="listing sold",
    typed="0113 496 0000",
    broker="Grace Mensah",
    seller="Sara",
    waiting="+44 7700 900555",
    accepted=True,
    **VIEWING_FULL,
    **OFFER_FULL,
)
# The other side of every `if`: nothing optional known, nothing to list.
SPARSE = {
    **FULL,
    "l": sample_listing(
        property_sub_type=None,
        bedrooms_total=None,
        bathrooms_total_integer=None,
        living_area=None,
        unparsed_address=None,
        subdivision_name=None,
        postal_code=None,
        original_list_price=None,
        close_price=None,
        media=[],
    ),
    "listings": [],
    "address": "",
    "photos": 0,
    "count": 0,
    "sub_type": None,
    "seller_phone": None,
    "street": None,
    "city": None,
    "has_draft": False,
    "photo_url": None,
    "area": None,
    "name": None,
    "role": "broker",
    "prompt": None,
    "has_choices": False,
    "media_kind": "sticker",
    "takes_text": False,
    "understood": True,
    "low": 6,
    "high": 6,
    "lines": False,
    "quiet_start": None,
    "quiet_end": None,
    "phone": None,
    "preferred": None,
    "merged": False,
    "tries_left": 1,
    "via": "sms",
    "reached_on": None,
    "verified": False,
    "as_broker": False,
    "as_buyer": False,
    "as_seller": False,
    "actor": "",
    "actor_role": None,
    "price": None,
    "why": "listing withdrawn",
    "broker": "",
    "seller": "",
    "waiting": None,
    "accepted": False,
    **VIEWING_SPARSE,
    **OFFER_SPARSE,
}


def template_names(locale: str) -> set[str]:
    return {path.name for path in (TEMPLATES / locale).glob("*.j2")}


def kinds() -> list[str]:
    """Message kinds: file names without channel or extension, less the shared pieces and labels."""
    names = {re.sub(r"(\.(sms|telegram|whatsapp))?\.j2$", "", name) for name in template_names("ar")}
    return sorted(name for name in names if not name.startswith("_") and name != "labels")


def labels(*keys: str, **params: Any) -> list[Choice]:
    return [Choice(key, TEXTS.label(key, locale="ar", **params)) for key in keys]


def label_macros(locale: str, name: str = "labels.j2") -> dict[str, str]:
    """Macro names and their parameter lists, as written."""
    source = (TEMPLATES / locale / name).read_text(encoding="utf-8")
    return dict(re.findall(r"{%-?\s*macro\s+(\w+)\(([^)]*)\)", source))


def variables(path: Path) -> set[str]:
    """The names a template reads from its context."""
    return meta.find_undeclared_variables(TEXTS._plain.parse(path.read_text(encoding="utf-8")))


def test_every_english_template_has_an_arabic_twin_and_no_more() -> None:
    assert template_names("en") == template_names("ar")


def test_arabic_templates_import_and_include_only_arabic_ones() -> None:
    for path in (TEMPLATES / "ar").glob("*.j2"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"""["']en/""", source), path.name
        used = re.findall(r"{%-?\s*(?:import|include|from)\s+[\"'](\w+)/", source)
        assert set(used) <= {"ar"}, path.name


@pytest.mark.parametrize("name", sorted(template_names("en")))
def test_arabic_templates_read_the_same_variables_as_english_ones(name: str) -> None:
    assert variables(TEMPLATES / "ar" / name) == variables(TEMPLATES / "en" / name)


def test_the_arabic_card_pieces_have_the_english_macros() -> None:
    english, arabic = label_macros("en", "_listing.j2"), label_macros("ar", "_listing.j2")
    assert english == {key: arabic.get(key) for key in english}


def test_arabic_is_a_locale_the_language_flow_can_offer() -> None:
    assert "ar" in TEXTS.locales


def test_every_english_label_has_an_arabic_one_with_the_same_parameters() -> None:
    english, arabic = label_macros("en"), label_macros("ar")
    assert english == {key: arabic.get(key) for key in english}


@pytest.mark.parametrize("key", sorted(label_macros("ar")))
def test_arabic_labels_fit_a_whatsapp_button(key: str) -> None:
    params = {
        "n": 10,
        "name": "Mohammed",
        "text": "الأربعاء 17 سبتمبر",
        "day": 2,
        "start": time(9, 30),
        "end": time(17),
    }
    wanted = [part.strip() for part in label_macros("ar")[key].split(",") if part.strip()]
    text = TEXTS.label(key, locale="ar", **{name: params[name] for name in wanted})
    assert ARABIC.search(text), text
    assert len(text) <= 20, (key, text)


@pytest.mark.parametrize("name", ["Mohammed", "Mohammed Alharbi", "عبد الرحمن بن عبد العزيز", "X" * 60])
def test_the_name_label_is_cut_to_fit_whatever_the_name(name: str) -> None:
    text = TEXTS.label("use_name", locale="ar", name=name)
    assert text.startswith("اسمي ")
    assert len(text) <= 20


@pytest.mark.parametrize("context", [FULL, SPARSE], ids=["full", "sparse"])
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("kind", kinds())
def test_every_arabic_template_renders_on_every_channel(kind: str, channel: str, context: dict) -> None:
    choices = labels("back_to_results", "menu")
    text = TEXTS.compose(kind, locale="ar", channel=channel, choices=choices, **context)
    assert ARABIC.search(text), "fell back to English?"
    assert "en/" not in text and "{{" not in text and "{%" not in text
    if channel != "telegram":
        assert "<b>" not in text


def test_the_listing_card_on_telegram() -> None:
    text = TEXTS.render("listing.details", locale="ar", channel="telegram", l=sample_listing())
    assert text == (
        "<b>UK£285,000</b> - شقة\nغرفتا نوم · حمام واحد · 75 م²\n14 Cardigan Road, Headingley, Leeds LS6 3AG"
    )


def test_the_listing_card_escapes_remarks_on_telegram() -> None:
    text = TEXTS.render(
        "listing.details",
        locale="ar",
        channel="telegram",
        l=sample_listing(public_remarks="حديقة <و> موقف & مخزن"),
    )
    assert text.endswith("\n\nحديقة &lt;و&gt; موقف &amp; مخزن")


def test_the_listing_card_by_sms_with_its_choices() -> None:
    text = TEXTS.compose(
        "listing.details",
        locale="ar",
        channel="sms",
        l=sample_listing(public_remarks="A long story " * 40),
        photo_url="https://x.test/p.jpg",
        choices=labels("back_to_results", "menu"),
    )
    assert text == (
        "UK£285,000 شقة، غرفتا نوم\n14 Cardigan Road, Headingley, Leeds LS6 3AG\nحمام واحد، 75 م²\n"
        "صورة: https://x.test/p.jpg\n1 العودة للنتائج\n2 القائمة\nأرسل 1 أو 2"
    )
    assert sms_segments(text) == 3  # UCS-2: 67 characters a segment; the English card takes 1


@pytest.mark.parametrize(
    ("overrides", "facts"),
    [
        ({}, "غرفتا نوم · حمام واحد · 75 م²"),
        ({"bedrooms_total": 1, "bathrooms_total_integer": 2}, "غرفة نوم واحدة · حمامان · 75 م²"),
        ({"bedrooms_total": 4, "bathrooms_total_integer": 3}, "4 غرف نوم · 3 حمامات · 75 م²"),
        ({"bedrooms_total": 12}, "12 غرفة نوم · حمام واحد · 75 م²"),
        ({"living_area": Decimal("807"), "living_area_units": "sqft"}, "غرفتا نوم · حمام واحد · 807 قدم²"),
        ({"bathrooms_total_integer": None, "living_area": None}, "غرفتا نوم"),
    ],
)
def test_card_facts_count_in_arabic(overrides: dict[str, object], facts: str) -> None:
    text = TEXTS.render("listing.details", locale="ar", channel="whatsapp", l=sample_listing(**overrides))
    assert text.split("\n")[1] == facts


@pytest.mark.parametrize(
    ("sub_type", "headline"),
    [
        ("Flat", "شقة"),
        ("Apartment", "شقة"),
        ("Semi-detached house", "منزل شبه منفصل"),
        ("Terraced house", "منزل متلاصق"),
        ("Detached house", "منزل منفصل"),
        ("Detached House", "منزل منفصل"),
        ("Houseboat", "Houseboat"),
        (None, "عقار سكني"),
    ],
)
def test_property_types_in_arabic_and_unknown_ones_as_they_are(sub_type: str | None, headline: str) -> None:
    text = TEXTS.render(
        "listing.details", locale="ar", channel="whatsapp", l=sample_listing(property_sub_type=sub_type)
    )
    assert text.split("\n")[0] == f"UK£285,000 - {headline}"


def test_money_with_cents_is_formatted_by_babel_for_arabic() -> None:
    text = TEXTS.render(
        "listing.details",
        locale="ar",
        channel="whatsapp",
        l=sample_listing(list_price=Decimal("1250000.50"), currency_code="EUR"),
    )
    # babel's own Arabic pattern: a right-to-left mark first, the sign after the amount
    assert text.startswith("\u200f1,250,000.50\xa0€ - شقة")


def test_search_results_on_telegram() -> None:
    text = TEXTS.render(
        "search.results",
        locale="ar",
        channel="telegram",
        listings=[sample_listing(), SECOND],
        area="Headingley",
        shown_from=1,
        shown_to=2,
        total=2,
    )
    assert text == (
        "<b>منازل للبيع في Headingley</b> (1-2 من 2):\n"
        "\n"
        "<b>1. UK£285,000</b> - شقة\n"
        "غرفتا نوم · حمام واحد · 75 م²\n"
        "Headingley, Leeds LS6 3AG\n"
        "\n"
        "<b>2. UK£425,000</b> - منزل شبه منفصل\n"
        "3 غرف نوم · حمامان · 110 م²\n"
        "Far Headingley, Leeds LS16 5JT"
    )


def test_search_results_by_sms_number_the_details_and_the_other_choices() -> None:
    details = [Choice(f"d{n}", TEXTS.label("details", locale="ar", n=n)) for n in (1, 2)]
    choices = [*details, *labels("more_results", "new_search", "menu")]
    text = TEXTS.compose(
        "search.results",
        locale="ar",
        channel="sms",
        listings=[sample_listing(), SECOND],
        area=None,
        shown_from=1,
        shown_to=2,
        total=9,
        choices=choices,
    )
    assert text == (
        "كل المناطق: المنازل 1-2 من 9\n"
        "1 UK£285,000 شقة، غرفتا نوم، Headingley\n"
        "2 UK£425,000 منزل شبه منفصل، 3 غرف نوم، Far Headingley\n"
        "أرسل 1-2 للتفاصيل، 3 نتائج أخرى، 4 بحث جديد، 5 القائمة"
    )


def test_my_listings_name_each_status_in_arabic() -> None:
    statuses = ["Active", "Withdrawn", "Active Under Contract", "Pending", "Closed", "Coming Soon"]
    mine = [sample_listing(standard_status=status) for status in statuses]
    text = TEXTS.render(
        "listings.mine", locale="ar", channel="whatsapp", listings=mine, first=1, total=6, has_draft=False
    )
    lines = text.split("\n")
    assert lines[0] == "عقاراتك:"
    shown = [line.removeprefix("UK£285,000 - ") for line in lines if line.startswith("UK£")]
    assert len(shown) == len(statuses)
    assert all(ARABIC.search(status) for status in shown), shown


def test_sms_choices_footer_is_arabic() -> None:
    text = TEXTS.compose(
        "verify.not_a_code",
        locale="ar",
        channel="sms",
        choices=labels("resend_code", "change_number", "menu"),
    )
    assert text.endswith("\n\n1 أرسل رمزاً جديداً\n2 تغيير الرقم\n3 القائمة\nأرسل 1-3")


def test_reprompt_asks_for_the_number_only_by_sms() -> None:
    for channel in CHANNELS:
        text = TEXTS.render("reprompt", locale="ar", channel=channel, prompt=None, has_choices=True)
        assert ("برقمه" in text) == (channel == "sms")


@pytest.mark.parametrize("kind", ["help", "optout.confirmed"])
def test_sms_opt_out_texts_name_the_english_keywords(kind: str) -> None:
    roles = {"as_buyer": True, "as_seller": False, "as_broker": False}
    text = TEXTS.compose(kind, locale="ar", channel="sms", choices=labels("menu", "help"), **roles)
    assert "START" in text
    if kind == "help":
        assert "STOP" in text and "Doorstep" in text


def test_the_code_text_holds_the_code_once_and_the_brand_in_latin() -> None:
    text = TEXTS.render("otp.code", locale="ar", channel="sms", code="#CODE#", minutes=5)
    assert text.count("#CODE#") == 1
    assert text.startswith("رمز Doorstep الخاص بك هو #CODE#")
    assert "5 دقائق" in text
    assert sms_segments(text) <= 2


def test_language_texts() -> None:
    assert TEXTS.render("language.ask", locale="ar", channel="telegram").startswith("بأي لغة")
    assert "بالعربية" in TEXTS.render("language.changed", locale="ar", channel="telegram", language="العربية")


def test_phone_numbers_are_kept_left_to_right_inside_arabic_sentences() -> None:
    text = TEXTS.render("verify.ask_send_here", locale="ar", channel="sms", phone="+44 7700 900123")
    assert f"{LRM}+44 7700 900123" in text


def test_settings_keep_one_setting_a_line() -> None:
    text = TEXTS.render("settings.show", locale="ar", channel="telegram", **FULL)
    assert text.split("\n") == [
        "إعداداتك:",
        "اللغة: العربية",
        "المنطقة الزمنية: Asia/Dubai (الساعة الآن هناك 2:30 م)",
        "ساعات الهدوء: من 10:00 م إلى 8:00 ص (أؤجّل الرسائل غير العاجلة حتى تنتهي)",
        f"الهاتف: {LRM}+44 7700 900123 (مؤكَّد)",
        "التواصل معي عبر: واتساب",
        "",
        "ما الذي تودّ تغييره؟",
    ]


@pytest.mark.parametrize(
    ("tries_left", "phrase"),
    [(1, "محاولة واحدة"), (2, "محاولتان"), (3, "3 محاولات"), (11, "11 محاولة")],
)
def test_tries_left_agree_with_their_number(tries_left: int, phrase: str) -> None:
    text = TEXTS.render("verify.wrong", locale="ar", channel="telegram", tries_left=tries_left)
    assert text.endswith(f"بقيت لديك {phrase}.")


def test_waits_are_spelled_by_babel_in_arabic() -> None:
    text = TEXTS.render("verify.locked", locale="ar", channel="telegram", wait=timedelta(seconds=100))
    assert text.endswith("بعد أن تمضي دقيقتان.")


@pytest.mark.parametrize(("reached_on", "end"), [("sms", "عبر الرسائل النصية."), (None, "آخر مرة.")])
def test_where_to_reach_names_the_channel_in_arabic(reached_on: str | None, end: str) -> None:
    text = TEXTS.render("settings.reach_set", locale="ar", channel="telegram", reached_on=reached_on)
    assert text.startswith("تم، سأتواصل معك") and text.endswith(end)


def test_texts_that_name_a_button_use_its_arabic_label() -> None:
    share = TEXTS.label("share_number", locale="ar")
    resend = TEXTS.label("resend_code", locale="ar")
    asked = TEXTS.render(
        "verify.ask_phone",
        locale="ar",
        channel="telegram",
        example="+44 7700 900123",
        local_example="07700 900123",
        home="GB",
    )
    assert f"«{share}»" in asked
    for kind in ("verify.dead", "verify.expired", "verify.no_code"):
        assert f"«{resend}»" in TEXTS.render(kind, locale="ar", channel="sms")


@pytest.mark.parametrize(
    ("made_by", "side", "start"),
    [
        ("buyer", "buyer", "انتهت مهلة عرضك البالغ"),
        ("buyer", "seller", "انتهت مهلة عرض Mohammed البالغ"),
        ("seller", "buyer", "انتهت مهلة العرض المقابل من البائع"),
        ("seller", "seller", "انتهت مهلة عرضك المقابل"),
    ],
)
def test_an_expired_offer_is_told_from_each_side(made_by: str, side: str, start: str) -> None:
    context = {**FULL, "o": offer(made_by=made_by, status="expired"), "side": side}
    text = TEXTS.render("offers.expired", locale="ar", channel="whatsapp", **context)
    assert text.startswith(start)
    assert "UK£270,000" in text and f"{LRM}14 Cardigan Road" in text


def test_contacts_of_an_agreed_offer_keep_their_phone_numbers_left_to_right() -> None:
    text = TEXTS.render("offers.agreed", locale="ar", channel="sms", **FULL)
    assert f"Sam, {LRM}+44 7700 900555؛ سارة, {LRM}+44 7700 900556" in text


@pytest.mark.parametrize(
    ("hours", "phrase"), [(1, "ساعة واحدة"), (2, "ساعتان"), (3, "3 ساعات"), (48, "48 ساعة")]
)
def test_hours_to_answer_an_offer_agree_with_their_number(hours: int, phrase: str) -> None:
    text = TEXTS.render("offers.summary", locale="ar", channel="telegram", **{**FULL, "hours": hours})
    assert text.endswith(f"أمام البائع {phrase} للرد بعد إرسال العرض.")


@pytest.mark.parametrize(
    ("kind", "key"),
    [("offers.ask_message", "skip"), ("offers.bad_completion", "flexible"), ("offers.same_amount", "accept")],
)
def test_offer_texts_that_name_a_button_use_its_arabic_label(kind: str, key: str) -> None:
    text = TEXTS.render(kind, locale="ar", channel="sms", missing=None)
    assert f"«{TEXTS.label(key, locale='ar')}»" in text
