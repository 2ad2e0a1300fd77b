"""Offers end to end: a WhatsApp buyer offers, the Telegram seller counters, the buyer accepts the counter;
expiry, withdrawal and the one-offer-at-a-time rule; with the exact messages each side receives."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from html import unescape

import pytest

from core.listings.model import Listing
from core.offers.actions import Terms, make_offer
from core.offers.model import Offer, OfferEvent
from core.offers.steps import Actor
from core.people.model import Person
from tests.e2e.test_my_listings import give_listing
from tests.e2e.test_viewings import buyer_opens_the_flat, sent_to_buyer, sent_to_seller
from tests.support import PHONE, Platform, buttons, whatsapp_options

SELLER_PHONE = "+447700900555"
OTHER_BUYER = "+447700900777"
PLACE = "14 Cardigan Road, Headingley, Leeds LS6 3AG"
BUYER_MENU = ["Find a home", "My viewings", "My offers", "Messages", "Settings", "Help"]
ASK_AMOUNT = (
    f"Make an offer on {PLACE}.\n"
    "The asking price is £285,000; "
    "the seller considers offers from £256,500 (90% of the asking price).\n"
    "How much would you like to offer? For example 270000 or 270k."
)
COMPLETION_CHOICES = ["In 2 months", "In 3 months", "In 6 months", "Flexible", "Cancel"]


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


async def seller_on_telegram(platform: Platform) -> int:
    """Sam sells the Headingley flat and talks to us on Telegram."""
    seller = await platform.returning(roles=("seller",), phone=SELLER_PHONE, name="Sam")
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    await platform.converse("/start")
    return seller


async def another_buyer_offers(platform: Platform, amount: str) -> int:
    """Omar, a buyer on SMS, already has an offer on the flat."""
    omar = await platform.returning("sms", OTHER_BUYER, name="Omar", phone=OTHER_BUYER)
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, omar)
        await make_offer(
            session, Actor(person, "sms"), "DS-LDS-001", Terms(Decimal(amount)), platform.clock.now()
        )
    return omar


async def buyer_offers_270k(platform: Platform) -> list[str]:
    """Amira, on WhatsApp, offers £270,000 from the flat's details; returns what she read on the way."""
    await buyer_opens_the_flat(platform)
    [ask] = await platform.whatsapp_tap("offer:start:DS-LDS-001", "Make an offer")
    assert whatsapp_options(platform, ask) == ("quick-reply", ASK_AMOUNT, ["Cancel"])

    [low] = await platform.text("whatsapp", "250k")
    assert whatsapp_options(platform, low) == (
        "quick-reply",
        "The seller considers offers from £256,500 (90% of the £285,000 asking price). "
        "Please offer at least that.",
        ["Cancel"],
    )
    [unreadable] = await platform.text("whatsapp", "about three hundred")
    assert whatsapp_options(platform, unreadable) == (
        "quick-reply",
        "Sorry, I couldn't read that as an amount in GBP. "
        "Please type a number, such as 270000, 270,000 or 270k.",
        ["Cancel"],
    )

    [position] = await platform.text("whatsapp", "£270k")
    assert whatsapp_options(platform, position) == (
        "list-picker",
        "£270,000 is 94.7% of the asking price.\nWhat is your buying position?",
        ["First-time buyer", "Selling a home", "Cash buyer", "Mortgage agreed", "Cancel"],
    )
    [when] = await platform.whatsapp_tap("offer:position:first_time", "First-time buyer")
    assert whatsapp_options(platform, when) == (
        "list-picker",
        "When would you like to complete the purchase? Tap one, or type a date such as 31 March.",
        COMPLETION_CHOICES,
    )
    [bad] = await platform.text("whatsapp", "yesterday")
    assert whatsapp_options(platform, bad) == (
        "list-picker",
        "Please give a completion date after today and within two years, such as 31 March, "
        "or choose Flexible.",
        COMPLETION_CHOICES,
    )
    [message] = await platform.text("whatsapp", "1 March")
    assert whatsapp_options(platform, message) == (
        "quick-reply",
        "Anything you'd like the seller to know? Type a short message, or tap Skip.",
        ["Skip", "Cancel"],
    )
    [summary] = await platform.text("whatsapp", "We love it! Call me on 07700 900123")
    assert whatsapp_options(platform, summary) == (
        "quick-reply",
        f"Please check your offer:\n{PLACE}\n"
        "Offer: £270,000 (94.7% of the asking price of £285,000)\n"
        "Buying position: first-time buyer\n"
        "Completion: by Mon 1 Mar 2027\n"
        'Message: "We love it! Call me on 07700 900123"\n\n'
        "The seller has 48 hours to answer once you send it.",
        ["Send offer", "Change amount", "Cancel"],
    )
    seller_seen = len(platform.telegram.calls)
    [sent] = await platform.whatsapp_tap("offer:send", "Send offer")
    assert whatsapp_options(platform, sent) == (
        "list-picker",
        "Offer sent: £270,000 for 14 Cardigan Road. The seller has until Sun 22 Nov, 10:01 to answer; "
        "I'll tell you as soon as they do.",
        BUYER_MENU,
    )
    return [call.params["text"] for call in sent_to_seller(platform, seller_seen)]


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_whatsapp_buyer_offers_the_telegram_seller_counters_and_the_buyer_accepts(
    platform: Platform,
) -> None:
    await seller_on_telegram(platform)
    omar = await another_buyer_offers(platform, "260000")
    seller_seen = len(platform.telegram.calls)
    told_seller = await buyer_offers_270k(platform)
    [received] = sent_to_seller(platform, seller_seen)
    assert told_seller == [received.params["text"]]
    # The buyer's own words are kept; only the seller's side reads them with contact details hidden.
    [_, stored] = await platform.rows(Offer)
    assert stored.message == "We love it! Call me on 07700 900123"
    assert received.params["text"] == (
        f"New offer from Amira on {PLACE}:\n"
        "£270,000 (94.7% of the asking price of £285,000)\n"
        "Buying position: first-time buyer\n"
        "Completion: by Mon 1 Mar 2027\n"
        'Message: "We love it! Call me on [hidden]"\n\n'
        "Please answer by Sun 22 Nov, 10:01."
    )
    assert buttons(received) == [["Accept", "Reject"], ["Counter"]]
    [_, amiras] = await platform.rows(Offer)
    assert (amiras.amount, amiras.status, amiras.made_by, amiras.position) == (
        Decimal("270000.00"),
        "pending",
        "buyer",
        "first_time",
    )
    assert (amiras.completion_date, amiras.expires_at) == (date(2027, 3, 1), at(22, 10, 1, 10))

    [ask] = await platform.converse(tap="offers:counter:2")
    assert ask.params["text"] == (
        "The offer is £270,000 (94.7% of the asking price). What amount would you accept? "
        "Type it, such as 280000."
    )
    assert buttons(ask) == [["Back", "Menu"]]
    [unreadable] = await platform.converse("more please")
    assert unreadable.params["text"].startswith("Sorry, I couldn't read that as an amount in GBP.")
    assert buttons(unreadable) == [["Back", "Menu"]]
    buyer_seen = len(platform.twilio.calls)
    sent, mine = await platform.converse("£280,000")
    assert (
        sent.params["text"]
        == "Counter-offer sent: £280,000 to Amira. They have until Sun 22 Nov, 10:01 to answer."
    )
    assert mine.params["text"] == (
        "Offers on your listings:\n"
        "1. 14 Cardigan Road: Amira, £280,000 (your counter), waiting for the buyer, 2 days left\n"
        "2. 14 Cardigan Road: Omar, £260,000, waiting for your answer, 47 hours left"
    )
    [countered] = sent_to_buyer(platform, buyer_seen)
    assert whatsapp_options(platform, countered) == (
        "quick-reply",
        f"The seller answered your offer on {PLACE} with a counter-offer: "
        "£280,000 (98.2% of the asking price).\nPlease answer by Sun 22 Nov, 10:01.",
        ["Accept", "Reject", "Counter"],
    )

    await platform.text("whatsapp", "menu")
    [offers] = await platform.whatsapp_tap("menu:offers", "My offers")
    assert whatsapp_options(platform, offers) == (
        "quick-reply",
        "Your offers:\n"
        "1. 14 Cardigan Road: £280,000 (seller's counter), waiting for your answer, 47 hours left",
        ["Offer 1", "Menu"],
    )
    [detail] = await platform.whatsapp_tap("offers:open:3", "Offer 1")
    assert whatsapp_options(platform, detail) == (
        "list-picker",
        f"Offer on {PLACE} (asking £285,000)\n"
        "Fri 20 Nov, 10:01: you offered £270,000\n"
        "Fri 20 Nov, 10:01: the seller countered with £280,000\n"
        "Now: £280,000 (98.2% of the asking price), waiting for your answer, 47 hours left\n"
        "Buying position: first-time buyer\n"
        "Completion: by Mon 1 Mar 2027",
        ["Accept", "Reject", "Counter", "Withdraw offer", "My offers", "Menu"],
    )

    seller_seen = len(platform.telegram.calls)
    agreed, under_offer = await platform.whatsapp_tap("offers:accept:3", "Accept")
    assert whatsapp_options(platform, agreed) == (
        "list-picker",
        f"Offer accepted! You are buying {PLACE} for £280,000, subject to contract. "
        "The home is now under offer to you.\n\n"
        "The seller's side: Sam, +44 7700 900555\n\n"
        "Next steps: instruct a solicitor or conveyancer and give them the seller's details; "
        "if you need a mortgage, send your lender the agreed price; book a survey.",
        BUYER_MENU,
    )
    [seller_told] = sent_to_seller(platform, seller_seen)
    assert seller_told.params["text"] == (
        f"Offer accepted: Amira is buying {PLACE} for £280,000, subject to contract. "
        "The listing is now under offer.\n\n"
        "The buyer: Amira, +44 7700 900123\n\n"
        "Next steps: tell your solicitor or conveyancer and give them the buyer's details, "
        "so they can send the draft contract."
    )
    assert under_offer.params["To"] == OTHER_BUYER
    assert under_offer.params["Body"] == (
        "14 Cardigan Road is now under offer: the seller accepted another offer. "
        "Your offer of £260,000 is closed, so you are free to offer on another home."
    )

    offers_now = await platform.rows(Offer)
    assert [(o.id, o.buyer_id == omar, o.made_by, o.amount, o.status, o.answers_id) for o in offers_now] == [
        (1, True, "buyer", Decimal("260000.00"), "rejected", None),
        (2, False, "buyer", Decimal("270000.00"), "superseded", None),
        (3, False, "seller", Decimal("280000.00"), "accepted", 2),
    ]
    events = await platform.rows(OfferEvent)
    assert [(e.offer_id, e.kind, e.status, e.side, e.channel) for e in events] == [
        (1, "made", "pending", "buyer", "sms"),
        (2, "made", "pending", "buyer", "whatsapp"),
        (2, "superseded", "superseded", "seller", "telegram"),
        (3, "countered", "pending", "seller", "telegram"),
        (3, "accepted", "accepted", "buyer", "whatsapp"),
        (1, "closed", "rejected", "system", None),
    ]
    [listing] = await platform.rows(Listing, Listing.listing_key == "DS-LDS-001")
    assert listing.standard_status == "Active Under Contract"


async def test_an_offer_nobody_answers_expires_and_acting_on_it_late_is_refused(platform: Platform) -> None:
    await seller_on_telegram(platform)
    await buyer_offers_270k(platform)
    [offer] = await platform.rows(Offer)

    platform.clock.advance(seconds=(offer.expires_at - platform.clock.now()).total_seconds() - 5)
    before = await platform.count_all()
    [refused] = await platform.converse(tap="offers:accept:1")
    assert unescape(refused.params["text"]) == (
        "That offer has expired, so it can't be answered any more.\n\n"
        "Offers on your listings:\n1. 14 Cardigan Road: Amira, £270,000, expired"
    )
    after = await platform.count_all()
    assert {k: v for k, v in after.items() if before[k] != v} == {
        "inbound_messages": before["inbound_messages"] + 1,
        "outbox": before["outbox"] + 1,
    }
    [still] = await platform.rows(Offer)
    assert still.status == "pending"

    seller_seen, buyer_seen = len(platform.telegram.calls), len(platform.twilio.calls)
    swept_at = platform.clock.now()
    counts = await platform.sweep()
    assert counts["expiries"] == 1
    await platform.deliver_all()
    [expired] = await platform.rows(Offer)
    assert expired.status == "expired"
    [seller_told] = sent_to_seller(platform, seller_seen)
    assert (
        seller_told.params["text"]
        == "Amira's offer of £270,000 on 14 Cardigan Road expired without an answer."
    )
    [buyer_told] = sent_to_buyer(platform, buyer_seen)
    # Amira last wrote two days ago, outside WhatsApp's 24-hour window: the notice goes by SMS.
    assert (buyer_told.params["To"], buyer_told.params["Body"]) == (
        PHONE,
        "Your offer of £270,000 on 14 Cardigan Road expired without an answer. "
        "You can make a new one while the home is on the market.\n\n1 Make an offer\nReply 1",
    )
    assert (await platform.sweep())["expiries"] == 0
    [*_, last] = await platform.rows(OfferEvent)
    assert (last.kind, last.side, last.actor_id, last.at) == ("expired", "system", None, swept_at)


async def test_one_offer_at_a_time_names_the_offer_in_the_way_and_withdraws_it(platform: Platform) -> None:
    await seller_on_telegram(platform)
    await buyer_offers_270k(platform)

    await platform.text("whatsapp", "menu")
    await platform.whatsapp_tap("menu:find", "Find a home")
    await platform.whatsapp_tap("menu:find", "Find a home")
    await platform.text("whatsapp", "Far Headingley")
    await platform.whatsapp_tap("search:details:DS-LDS-002", "Details 1")
    [blocked] = await platform.whatsapp_tap("offer:start:DS-LDS-002", "Make an offer")
    assert whatsapp_options(platform, blocked) == (
        "quick-reply",
        "You already have an offer waiting for an answer: £270,000 on 14 Cardigan Road, "
        "open until Sun 22 Nov, 10:01. You can have one offer at a time; withdraw it to make another.",
        ["Withdraw it", "See the offer", "Menu"],
    )
    [sure] = await platform.whatsapp_tap("offers:withdraw:1", "Withdraw it")
    assert whatsapp_options(platform, sure) == (
        "quick-reply",
        "Withdraw your £270,000 offer on 14 Cardigan Road?",
        ["Yes, withdraw", "Keep it"],
    )
    [offer] = await platform.rows(Offer)
    assert offer.status == "pending"
    seller_seen = len(platform.telegram.calls)
    withdrawn, ask = await platform.whatsapp_tap("offers:withdraw:1:yes", "Yes, withdraw")
    assert withdrawn.params["Body"] == (
        "You withdrew your offer on 14 Cardigan Road (£270,000 on the table). I've told the seller."
    )
    # On with the offer the buyer wanted to make.
    assert whatsapp_options(platform, ask) == (
        "quick-reply",
        "Make an offer on 7 Weetwood Lane, Far Headingley, Leeds LS16 5NP.\n"
        "The asking price is £425,000; the seller considers offers from £382,500 (90% of the asking price).\n"
        "How much would you like to offer? For example 270000 or 270k.",
        ["Cancel"],
    )
    [seller_told] = sent_to_seller(platform, seller_seen)
    assert seller_told.params["text"] == (
        "Amira withdrew from the negotiation on 14 Cardigan Road (£270,000 on the table)."
    )
    [offer] = await platform.rows(Offer)
    assert offer.status == "withdrawn"
    [position] = await platform.text("whatsapp", "400k")
    assert whatsapp_options(platform, position)[1].startswith("£400,000 is 94.1% of the asking price.")

    [late] = await platform.converse(tap="offers:accept:1")
    assert late.params["text"].startswith("That offer was withdrawn.\n\nOffers on your listings:")


async def test_a_buyer_cannot_offer_on_their_own_listing_or_one_off_the_market(platform: Platform) -> None:
    me = await platform.returning("whatsapp", phone=PHONE, name="Amira", roles=("buyer", "seller"))
    await give_listing(platform, "DS-LDS-001", seller_id=me)
    await platform.text("whatsapp", "menu")
    await platform.whatsapp_tap("menu:find", "Find a home")
    await platform.text("whatsapp", "Headingley")
    await platform.whatsapp_tap("search:details:DS-LDS-001", "Details 1")
    [own] = await platform.whatsapp_tap("offer:start:DS-LDS-001", "Make an offer")
    assert whatsapp_options(platform, own)[1:] == (
        "You can't make an offer on a home you sell or broker.",
        ["My listings", *BUYER_MENU],
    )

    await platform.whatsapp_tap("menu:find", "Find a home")
    await platform.text("whatsapp", "Far Headingley")
    await platform.whatsapp_tap("search:details:DS-LDS-002", "Details 1")
    await give_listing(platform, "DS-LDS-002", standard_status="Withdrawn")
    [gone] = await platform.whatsapp_tap("offer:start:DS-LDS-002", "Make an offer")
    assert whatsapp_options(platform, gone)[1] == "Sorry, that home is no longer on the market."
    assert await platform.rows(Offer) == []


async def test_taking_a_home_off_the_market_closes_its_offers_and_tells_the_buyers(
    platform: Platform,
) -> None:
    await seller_on_telegram(platform)
    await another_buyer_offers(platform, "260000")
    await platform.converse(tap="listings:show")
    await platform.converse(tap="listing:open:DS-LDS-001")
    buyer_seen = len(platform.twilio.calls)
    await platform.converse(tap="listings:withdraw:DS-LDS-001")
    [told] = sent_to_buyer(platform, buyer_seen)
    assert (told.params["To"], told.params["Body"]) == (
        OTHER_BUYER,
        "14 Cardigan Road has been taken off the market, so your offer of £260,000 is closed. "
        "You are free to offer on another home.",
    )
    [offer] = await platform.rows(Offer)
    assert offer.status == "rejected"
    [_, closed] = await platform.rows(OfferEvent)
    assert (closed.kind, closed.side, closed.detail) == ("closed", "system", "listing withdrawn")

    await platform.converse(tap="listings:relist:DS-LDS-001")
    [still] = await platform.rows(Offer)
    assert still.status == "rejected"
