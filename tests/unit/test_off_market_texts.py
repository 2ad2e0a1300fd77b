"""What a home leaving the market or changing price says, in English and Arabic, within an SMS's aim: the
buyer hears sold or withdrawn, the other manager hears who did it (Doorstep when an operator did)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from bots.channels.text_limits import SMS_TEXT_AIM
from bots.texts import Texts
from tests.support import sample_listing

TEXTS = Texts("en", "GB")
HOME = sample_listing(unparsed_address="14 Cardigan Road")
VIEWING = SimpleNamespace(starts_at=datetime(2026, 11, 21, 11, 30, tzinfo=UTC), viewers=1)
OFFER = SimpleNamespace(amount=Decimal("260000"), currency_code="GBP", made_by="buyer")
COUNTER = SimpleNamespace(amount=Decimal("275000"), currency_code="GBP", made_by="seller")
PRICES = {"old_price": Decimal("285000"), "new_price": Decimal("270000")}
LRM = "\u200e"

CASES: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "viewings.off_market",
        {"why": "listing sold"},
        "14 Cardigan Road has been sold, so your viewing on Sat 21 Nov, 11:30 is cancelled. "
        "You are free to view other homes.",
        f"بِيع {LRM}14 Cardigan Road، وبذلك أُلغيت معاينتك التي كان موعدها السبت 21 نوفمبر, 11:30، "
        "ويمكنك معاينة منازل أخرى.",
    ),
    (
        "viewings.off_market",
        {"why": "listing withdrawn"},
        "14 Cardigan Road has been taken off the market, so your viewing on Sat 21 Nov, 11:30 is cancelled. "
        "You are free to view other homes.",
        f"سُحب {LRM}14 Cardigan Road من السوق، وبذلك أُلغيت معاينتك التي كان موعدها السبت 21 نوفمبر, 11:30، "
        "ويمكنك معاينة منازل أخرى.",
    ),
    (
        "offers.sold",
        {"o": OFFER},
        "14 Cardigan Road has been sold, so your offer of £260,000 is closed. "
        "You are free to offer on another home.",
        f"بِيع {LRM}14 Cardigan Road، وبذلك أُغلق عرضك البالغ UK£260,000، ويمكنك الآن تقديم عرض على منزل آخر.",
    ),
    (
        "listings.withdrawn_by",
        {"actor": "", "actor_role": None},
        "Doorstep took 14 Cardigan Road off the market. "
        "Any open offers and viewings on it are called off, and their buyers told.",
        f"سحب فريق Doorstep العقار {LRM}14 Cardigan Road من السوق. "
        "أُلغيت أي عروض أو معاينات مفتوحة عليه، وأُبلغ المشترون بذلك.",
    ),
    (
        "listings.sold_by",
        {"actor": "Bo", "actor_role": "broker", "price": Decimal("280000")},
        "Bo (your broker) marked 14 Cardigan Road sold for £280,000. "
        "Any open offers and viewings on it are called off, and their buyers told.",
        f"سجّل Bo (وسيطك) العقار {LRM}14 Cardigan Road مَبيعاً بمبلغ UK£280,000. "
        "أُلغيت أي عروض أو معاينات مفتوحة عليه، وأُبلغ المشترون بذلك.",
    ),
    (
        "listings.relisted_by",
        {"actor": "", "actor_role": "seller"},
        "The seller put 14 Cardigan Road back on the market: "
        "buyers can find it, book viewings and make offers again.",
        f"أعاد البائع العقار {LRM}14 Cardigan Road إلى السوق: يمكن للمشترين إيجاده وحجز المعاينات وتقديم "
        "العروض من جديد.",
    ),
    (
        "listings.repriced_by",
        {"actor": "Sam", "actor_role": "seller", **PRICES},
        "Sam (the seller) changed the asking price of 14 Cardigan Road from £285,000 to £270,000.",
        f"غيّر Sam (البائع) السعر المطلوب للعقار {LRM}14 Cardigan Road من UK£285,000 إلى UK£270,000.",
    ),
    (
        "listings.repriced_buyer",
        {"mine": SimpleNamespace(offer=COUNTER, viewing=VIEWING), **PRICES},
        "The asking price of 14 Cardigan Road is now £270,000 (it was £285,000). "
        "The seller's counter-offer of £275,000 stands as it was. "
        "Your viewing on Sat 21 Nov, 11:30 is unchanged.",
        f"أصبح السعر المطلوب للعقار {LRM}14 Cardigan Road UK£270,000 (وكان UK£285,000). العرض المقابل من "
        "البائع البالغ UK£275,000 باقٍ كما هو. معاينتك التي موعدها السبت 21 نوفمبر, 11:30 باقية دون تغيير.",
    ),
]


@pytest.mark.parametrize(("kind", "context", "english", "arabic"), CASES, ids=[c[0] for c in CASES])
def test_each_notice_says_what_happened_in_english_and_arabic_within_an_sms(
    kind: str, context: dict[str, Any], english: str, arabic: str
) -> None:
    for locale, expected in (("en", english), ("ar", arabic)):
        for channel in ("sms", "whatsapp"):  # Telegram's is the same, HTML-escaped
            text = TEXTS.render(
                kind, locale=locale, channel=channel, l=HOME, v=VIEWING, tz="Europe/London", **context
            )
            assert text == expected
            assert len(text) <= SMS_TEXT_AIM
