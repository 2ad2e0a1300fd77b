"""A seller manages their listings on Telegram: the list, one listing's screen, off the market and back, and
every refusal they can meet."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from core.listings.model import Listing
from core.people.model import Person
from doorstep.simulator.telegram_api import ApiCall
from tests.support import PHONE, TURN_SECONDS, Platform, buttons, tap_update, text_update

BUYER_CHAT = 600700800
BUYER_UPDATE_IDS = itertools.count(700_001)  # apart from the seller's update ids (tests.support)
SELLER_MENU = [
    ["My listings", "Find a home"],
    ["My viewings", "My offers"],
    ["Messages", "Settings"],
    ["Help"],
]
ON_THE_MARKET = "Your listings:\n\n1. 14 Cardigan Road, Headingley, Leeds LS6 3AG\n£285,000 - on the market"
OFF_THE_MARKET = "Your listings:\n\n1. 14 Cardigan Road, Headingley, Leeds LS6 3AG\n£285,000 - off the market"
WITHDRAWN = "14 Cardigan Road is off the market. Buyers can't find it until you put it back."
RELISTED = "14 Cardigan Road is back on the market."
NOT_YOURS = "Sorry, only the seller or broker of this home can take it off the market or put it back."
CANNOT_MOVE = "That listing can't change that way now: it's under offer, sold, or already there."
NO_LISTINGS = "You have no listings on Doorstep yet. Tap Add a home to list yours: it takes a few minutes."
LIST_BUTTONS = [["Manage 1", "Add a home"], ["Menu"]]
LDS_001 = (
    "14 Cardigan Road, Headingley, Leeds LS6 3AG\n£285,000 - {}\n\nFlat · 2 bed · 1 bath · 75 m²\n2 photos"
)
ACTIVE_BUTTONS = [
    ["Change price", "Edit details"],
    ["Photos", "Viewing hours"],
    ["Take off market", "Mark as sold"],
    ["My listings", "Menu"],
]
WITHDRAWN_BUTTONS = [
    ["Change price", "Edit details"],
    ["Photos", "Put back on market"],
    ["Mark as sold", "My listings"],
    ["Menu"],
]
ASK_PHONE = (
    "What's your mobile number? I'll send a 6-digit code to confirm it. "
    'Tap "Share my number" below, or type it, for example 07700 900123. '
    "Numbers without + and a country code are read as United Kingdom numbers."
)
LEEDS_WITH_LDS_001 = (
    "<b>Homes for sale in Leeds</b> (1-5 of 6):\n\n"
    "<b>1. £285,000</b> - Flat\n2 bed · 1 bath · 75 m²\nHeadingley, Leeds LS6 3AG\n\n"
    "<b>2. £425,000</b> - Semi-detached house\n3 bed · 2 bath · 118 m²\nFar Headingley, Leeds LS16 5NP\n\n"
    "<b>3. £189,950</b> - Terraced house\n2 bed · 1 bath · 68 m²\nHyde Park, Leeds LS6 1PH\n\n"
    "<b>4. £650,000</b> - Detached house\n4 bed · 3 bath · 190 m²\nRoundhay, Leeds LS8 2JH\n\n"
    "<b>5. £159,000</b> - Flat\n1 bed · 1 bath · 48 m²\nCity Centre, Leeds LS2 7EQ"
)
LEEDS_WITHOUT_LDS_001 = (
    "<b>Homes for sale in Leeds</b> (1-5 of 5):\n\n"
    "<b>1. £425,000</b> - Semi-detached house\n3 bed · 2 bath · 118 m²\nFar Headingley, Leeds LS16 5NP\n\n"
    "<b>2. £189,950</b> - Terraced house\n2 bed · 1 bath · 68 m²\nHyde Park, Leeds LS6 1PH\n\n"
    "<b>3. £650,000</b> - Detached house\n4 bed · 3 bath · 190 m²\nRoundhay, Leeds LS8 2JH\n\n"
    "<b>4. £159,000</b> - Flat\n1 bed · 1 bath · 48 m²\nCity Centre, Leeds LS2 7EQ\n\n"
    "<b>5. £235,000</b> - Terraced house\n3 bed · 1 bath · 92 m²\nKirkstall, Leeds LS5 3BE"
)


async def give_listing(platform: Platform, listing_key: str, **values: object) -> None:
    """Change a listing's row as our team does: its seller_id, broker_id or standard_status."""
    async with platform.sessions() as session, session.begin():
        await session.execute(update(Listing).where(Listing.listing_key == listing_key).values(**values))


async def listing_row(
    platform: Platform, listing_key: str = "DS-LDS-001"
) -> tuple[str, datetime, int | None]:
    """The listing's status, modification time and seller, as stored."""
    [listing] = await platform.rows(Listing, Listing.listing_key == listing_key)
    return listing.standard_status, listing.modification_timestamp, listing.seller_id


def next_turn_time(platform: Platform) -> datetime:
    """When the next message or tap reaches us (replies may be delivered a little later)."""
    return platform.clock.now() + timedelta(seconds=TURN_SECONDS)


async def buyer_converse(
    platform: Platform, text: str | None = None, *, tap: str | None = None
) -> list[ApiCall]:
    """Another Telegram user, a buyer in their own chat, sends a message or taps; returns their replies."""
    platform.clock.advance(seconds=TURN_SECONDS)
    update_id = next(BUYER_UPDATE_IDS)
    if tap is not None:
        update_ = tap_update(update_id, tap)
        update_["callback_query"]["from"]["id"] = BUYER_CHAT
        update_["callback_query"]["message"]["chat"]["id"] = BUYER_CHAT
    else:
        update_ = text_update(update_id, text or "")
        update_["message"]["from"]["id"] = update_["message"]["chat"]["id"] = BUYER_CHAT
    before = len(platform.telegram.calls)
    response = await platform.post(update_)
    assert response.status == 200, await response.text()
    await platform.deliver_all()
    calls = [call for call in platform.telegram.calls[before:] if call.failed_status is None]
    assert all(call.params["chat_id"] == BUYER_CHAT for call in calls)
    return calls


async def buyer_searches_leeds(platform: Platform) -> str:
    await buyer_converse(platform, "menu")
    [ask] = await buyer_converse(platform, tap="menu:find")
    assert ask.params["text"] == "Which city or area? For example: Leeds, Headingley or LS6."
    [results] = await buyer_converse(platform, "Leeds")
    return results.params["text"]


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_seller_takes_their_home_off_the_market_and_puts_it_back(platform: Platform) -> None:
    seller = await platform.returning(roles=("seller",), phone=PHONE)
    await platform.returning(address=str(BUYER_CHAT), name="Ben", roles=("buyer",))
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    status, listed_at, _ = await listing_row(platform)
    assert status == "Active"

    [menu] = await platform.converse("/start")
    assert buttons(menu) == SELLER_MENU
    [mine] = await platform.converse(tap="listings:show")
    assert mine.params["text"] == ON_THE_MARKET
    assert buttons(mine) == LIST_BUTTONS
    [one] = await platform.converse(tap="listing:open:DS-LDS-001")
    assert one.params["caption"] == LDS_001.format("on the market")
    assert one.params["photo"] == "https://demo.doorstep.homes/photos/ds-lds-001-1.jpg"
    assert buttons(one) == ACTIVE_BUTTONS
    assert await listing_row(platform) == ("Active", listed_at, seller)

    withdrawn_at = next_turn_time(platform)
    [done, one] = await platform.converse(tap="listings:withdraw:DS-LDS-001")
    assert done.params["text"] == WITHDRAWN
    assert buttons(done) == []
    assert one.params["caption"] == LDS_001.format("off the market")
    assert buttons(one) == WITHDRAWN_BUTTONS
    status, changed_at, owner = await listing_row(platform)
    assert (status, owner) == ("Withdrawn", seller)
    assert withdrawn_at <= changed_at <= platform.clock.now()

    assert await buyer_searches_leeds(platform) == LEEDS_WITHOUT_LDS_001

    relisted_at = next_turn_time(platform)
    [back, one] = await platform.converse(tap="listings:relist:DS-LDS-001")
    assert back.params["text"] == RELISTED
    assert one.params["caption"] == LDS_001.format("on the market")
    assert buttons(one) == ACTIVE_BUTTONS
    status, changed_at, owner = await listing_row(platform)
    assert (status, owner) == ("Active", seller)
    assert relisted_at <= changed_at <= platform.clock.now()

    assert await buyer_searches_leeds(platform) == LEEDS_WITH_LDS_001


async def test_the_old_button_tapped_twice_changes_nothing_the_second_time(platform: Platform) -> None:
    seller = await platform.returning(roles=("seller",), phone=PHONE)
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    await platform.converse("/start")
    await platform.converse(tap="listings:show")
    await platform.converse(tap="listing:open:DS-LDS-001")
    withdrawn_at = next_turn_time(platform)
    await platform.converse(tap="listings:withdraw:DS-LDS-001")

    [refused] = await platform.converse(tap="listings:withdraw:DS-LDS-001")
    assert refused.params["caption"] == f"{CANNOT_MOVE}\n\n{LDS_001.format('off the market')}"
    assert buttons(refused) == WITHDRAWN_BUTTONS
    status, changed_at, owner = await listing_row(platform)
    assert (status, owner) == ("Withdrawn", seller)
    assert withdrawn_at <= changed_at <= platform.clock.now()


async def test_a_broker_sees_every_home_they_broker_and_manages_them(platform: Platform) -> None:
    broker = await platform.returning(roles=("broker",), phone=PHONE, name="Bilal")
    other = await platform.returning(address="600700801", name="Sam", roles=("seller",))
    await give_listing(platform, "DS-LDS-001", seller_id=other, broker_id=broker)
    await give_listing(platform, "DS-MAN-001", broker_id=broker)
    await give_listing(platform, "DS-LDS-004", broker_id=broker, standard_status="Active Under Contract")

    await platform.converse("/start")
    [mine] = await platform.converse(tap="listings:show")
    assert mine.params["text"] == (
        "Your listings:\n\n"
        "1. 14 Cardigan Road, Headingley, Leeds LS6 3AG\n£285,000 - on the market\n\n"
        "2. Flat 41, 1 Ancoats Street, Ancoats, Manchester M4 6AE\n£310,000 - on the market\n\n"
        "3. 2 Park Avenue, Roundhay, Leeds LS8 2JH\n£650,000 - under offer"
    )
    assert buttons(mine) == [["Manage 1", "Manage 2"], ["Manage 3", "Add a home"], ["Menu"]]

    [one] = await platform.converse(tap="listing:open:DS-LDS-004")
    assert buttons(one) == [["Mark as sold", "My listings"], ["Menu"]]
    await platform.converse(tap="listing:open:DS-MAN-001")
    [done, one] = await platform.converse(tap="listings:withdraw:DS-MAN-001")
    assert done.params["text"] == (
        "Flat 41, 1 Ancoats Street is off the market. Buyers can't find it until you put it back."
    )
    # A home the broker lists without a seller yet offers to invite one.
    assert buttons(one) == [
        ["Change price", "Edit details"],
        ["Photos", "Put back on market"],
        ["Mark as sold", "Invite the seller"],
        ["My listings", "Menu"],
    ]
    assert (await listing_row(platform, "DS-MAN-001"))[0] == "Withdrawn"
    assert (await listing_row(platform, "DS-LDS-001"))[0] == "Active"
    assert (await listing_row(platform, "DS-LDS-004"))[0] == "Active Under Contract"


async def test_an_unverified_seller_is_asked_to_confirm_their_phone_first(platform: Platform) -> None:
    seller = await platform.returning(roles=("seller",))
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    _, listed_at, _ = await listing_row(platform)

    await platform.converse("/start")
    [ask] = await platform.converse(tap="listings:show")
    assert ask.params["text"] == ASK_PHONE
    assert ask.params["reply_markup"] == {
        "keyboard": [[{"text": "Share my number", "request_contact": True}]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }
    assert ON_THE_MARKET not in [call.params.get("text") for call in platform.telegram.calls]

    await platform.share_contact()
    [done, mine] = await platform.converse(platform.last_code())
    assert done.params["text"] == "Thank you, +44 7700 900123 is confirmed."
    assert mine.params["text"] == ON_THE_MARKET
    assert buttons(mine) == LIST_BUTTONS
    assert await listing_row(platform) == ("Active", listed_at, seller)


async def test_a_stale_button_after_the_listing_changed_hands_is_refused(platform: Platform) -> None:
    seller = await platform.returning(roles=("seller",), phone=PHONE)
    new_seller = await platform.returning(address="600700801", name="Sam", roles=("seller",))
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    await platform.converse("/start")
    await platform.converse(tap="listings:show")
    [one] = await platform.converse(tap="listing:open:DS-LDS-001")
    assert buttons(one) == ACTIVE_BUTTONS

    await give_listing(platform, "DS-LDS-001", seller_id=new_seller)
    before = await listing_row(platform)
    assert (before[0], before[2]) == ("Active", new_seller)

    [refused] = await platform.converse(tap="listings:withdraw:DS-LDS-001")
    assert refused.params["text"] == f"{NOT_YOURS}\n\n{NO_LISTINGS}"
    assert buttons(refused) == [["Add a home", "Menu"]]
    [refused] = await platform.converse(tap="listing:open:DS-LDS-001")
    assert refused.params["text"] == "Sorry, only the seller or broker of this home can change it."
    assert buttons(refused) == SELLER_MENU
    assert await listing_row(platform) == before
    [person] = await platform.rows(Person, Person.id == seller)
    assert person.verified


async def test_a_home_under_offer_offers_only_sold_and_its_old_button_is_refused(platform: Platform) -> None:
    seller = await platform.returning(roles=("seller",), phone=PHONE)
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    await platform.converse("/start")
    await platform.converse(tap="listings:show")
    await platform.converse(tap="listing:open:DS-LDS-001")
    await give_listing(platform, "DS-LDS-001", standard_status="Active Under Contract")
    before = await listing_row(platform)

    [refused] = await platform.converse(tap="listings:withdraw:DS-LDS-001")
    assert refused.params["caption"] == f"{CANNOT_MOVE}\n\n{LDS_001.format('under offer')}"
    assert buttons(refused) == [["Mark as sold", "My listings"], ["Menu"]]
    assert await listing_row(platform) == before
