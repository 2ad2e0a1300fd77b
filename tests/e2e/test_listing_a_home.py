"""A seller lists a home in chat on Telegram: only what is missing is asked, nonsense is re-asked, the draft
outlives the conversation, and the published listing has its RESO fields and is found by buyers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.listings.model import Listing, ListingDraft
from core.people.model import Person
from tests.e2e.test_my_listings import buyer_converse, next_turn_time
from tests.support import PHONE, Platform, buttons

LATER = [["Finish later"]]
ASK_ADDRESS = "Let's list your home. What's its address? For example: 14 Cardigan Road, Leeds LS6 1LF"
ASK_TYPE = "What type of home is it? Tap one, or type it (flat, terraced, semi, detached or bungalow)."
TYPES = [["Flat", "Terraced"], ["Semi-detached", "Detached"], ["Bungalow", "Finish later"]]
ASK_BEDROOMS_HOUSE = "How many bedrooms does it have? Type a number."
ASK_BATHROOMS = "How many bathrooms? Type a number."
ASK_AREA = (
    "What's the floor area? In m² or sq ft, for example 75 m2 or 810 sq ft. Tap Skip if you don't know it."
)
ASK_PRICE = "What's the asking price? For example 285000 or 285k."
BAD_PRICE = "Please type the price as a number of pounds, for example 285000 or 285k."
ASK_REMARKS = (
    "Describe the home in a few lines: what will buyers love about it? Up to 500 characters. "
    "Tap Skip to leave it out."
)
ASK_PHOTOS = (
    "Now send photos of the home, up to 20, one or several at a time. The first is the cover. "
    "Tap Done when you've finished, or if you have none to send now."
)
SUMMARY = (
    "Here's your listing:\n\n"
    "22 Otley Road, Far Headingley, Leeds LS6 4BA\n£{price} - Semi-detached house\n3 bed · 2 bath · 85 m²\n\n"
    "Bright family home with a south-facing garden.\n\n"
    "No photos yet: you can add them later from My listings.\n\n"
    "Publish it? Buyers can find it as soon as you do."
)
SUMMARY_BUTTONS = [["Publish", "Edit"], ["Cancel"]]


async def start_listing(platform: Platform) -> None:
    """A verified seller opens My listings and taps Add a home."""
    await platform.converse("/start")
    [mine] = await platform.converse(tap="listings:show")
    assert mine.params["text"] == (
        "You have no listings on Doorstep yet. Tap Add a home to list yours: it takes a few minutes."
    )
    assert buttons(mine) == [["Add a home", "Menu"]]
    [ask] = await platform.converse(tap="listing_form:add")
    assert (ask.params["text"], buttons(ask)) == (ASK_ADDRESS, LATER)


async def answer(platform: Platform, text: str, expected: str, keyboard: list[list[str]] = LATER) -> None:
    """Type `text`; the one reply is `expected` with `keyboard`."""
    [reply] = await platform.converse(text)
    assert (reply.params["text"], buttons(reply)) == (expected, keyboard)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_seller_lists_a_home_answering_only_what_is_missing_and_buyers_find_it(
    platform: Platform,
) -> None:
    seller = await platform.returning(roles=("seller",), phone=PHONE)
    await start_listing(platform)

    await answer(
        platform,
        "Cardigan",
        "I couldn't find a street in that. Please type the address with the "
        "house number and street, town and postcode.",
    )
    await answer(platform, "22 Otley Road", "Which town or city is 22 Otley Road in?")
    await answer(
        platform, "Far Headingley, Leeds", "What's the postcode of 22 Otley Road, Leeds? For example: LS6 1LF"
    )
    await answer(
        platform,
        "LS6",
        '"LS6" isn\'t a UK postcode. A postcode looks like LS6 1LF or M4 6DE.',
    )
    await answer(platform, "ls6 4ba", ASK_TYPE, TYPES)
    await answer(platform, "castle", "Please pick one of the types below.", TYPES)
    await answer(platform, "semi", ASK_BEDROOMS_HOUSE)
    await answer(
        platform,
        "0",
        "A house has at least one bedroom. Please type how many it has.",
    )
    await answer(platform, "3", ASK_BATHROOMS)
    await answer(platform, "0", "Please type the number of bathrooms, from 1 to 20.")
    await answer(platform, "2 bathrooms", ASK_AREA, [["Skip", "Finish later"]])
    await answer(platform, "915 sq ft", ASK_PRICE)
    await answer(platform, "abc", BAD_PRICE)
    await answer(
        platform,
        "£500",
        "£500 can't be right: a listing's price is from £1,000 to £100,000,000.",
    )
    await answer(platform, "340k", ASK_REMARKS, [["Skip", "Finish later"]])
    await answer(
        platform, "Bright family home with  a south-facing garden.", ASK_PHOTOS, [["Done", "Finish later"]]
    )
    await answer(platform, "done", SUMMARY.format(price="340,000"), SUMMARY_BUTTONS)

    [draft] = await platform.rows(ListingDraft)
    assert draft.person_id == seller
    assert draft.fields == {
        "street_number": "22",
        "street_name": "Otley Road",
        "city": "Leeds",
        "postal_code": "LS6 4BA",
        "unit": None,
        "district": "Far Headingley",
        "property_sub_type": "semi",
        "bedrooms_total": 3,
        "bathrooms_total_integer": 2,
        "living_area": "85.0",
        "list_price": "340000.00",
        "public_remarks": "Bright family home with a south-facing garden.",
        "photos_done": True,
    }
    assert await platform.rows(Listing, Listing.source == "chat") == []

    published_at = next_turn_time(platform)
    [done, screen] = await platform.converse(tap="listing_form:publish")
    assert done.params["text"] == "22 Otley Road is on the market. Buyers searching Leeds can find it now."
    assert screen.params["text"] == (
        "22 Otley Road, Far Headingley, Leeds LS6 4BA\n£340,000 - on the market\n\n"
        "Semi-detached house · 3 bed · 2 bath · 85 m²\nNo photos yet."
    )
    assert buttons(screen) == [
        ["Change price", "Edit details"],
        ["Photos", "Viewing hours"],
        ["Take off market", "Mark as sold"],
        ["My listings", "Menu"],
    ]
    assert await platform.rows(ListingDraft) == []
    [listing] = await platform.rows(Listing, Listing.source == "chat")
    assert listing.listing_key.startswith("DS-") and listing.listing_id == listing.listing_key
    assert (listing.standard_status, listing.list_price, listing.original_list_price) == (
        "Active",
        Decimal("340000.00"),
        Decimal("340000.00"),
    )
    assert (listing.property_type, listing.property_sub_type) == ("Residential", "Semi-detached house")
    assert (listing.bedrooms_total, listing.bathrooms_total_integer) == (3, 2)
    assert (listing.living_area, listing.living_area_units) == (Decimal("85.00"), "sqm")
    assert (listing.unparsed_address, listing.street_number, listing.street_name) == (
        "22 Otley Road",
        "22",
        "Otley Road",
    )
    assert (listing.city, listing.subdivision_name, listing.postal_code, listing.country) == (
        "Leeds",
        "Far Headingley",
        "LS6 4BA",
        "GB",
    )
    assert (listing.seller_id, listing.broker_id, listing.currency_code) == (seller, None, "GBP")
    assert listing.on_market_timestamp == listing.modification_timestamp == published_at
    assert listing.photos_change_timestamp is None and listing.media == []

    await platform.returning(address="600700800", name="Ben", roles=("buyer",))
    await buyer_converse(platform, "menu")
    await buyer_converse(platform, tap="menu:find")
    [results] = await buyer_converse(platform, "Far Headingley")
    assert (
        "<b>1. £340,000</b> - Semi-detached house\n3 bed · 2 bath · 85 m²\nFar Headingley, Leeds LS6 4BA"
        in (results.params["text"])
    )


async def test_the_draft_outlives_the_conversation_and_the_day(platform: Platform) -> None:
    await platform.returning(roles=("seller",), phone=PHONE)
    await start_listing(platform)
    await answer(platform, "Flat 2, 20 Wharf Street, Ancoats, Manchester M4 6DE", ASK_TYPE, TYPES)
    [saved] = await platform.converse(tap="listing_form:later")
    assert saved.params["text"] == "Your draft is saved. Carry on any time from My listings, Add a home."

    platform.clock.advance(hours=30)
    await platform.converse("hi")
    [mine] = await platform.converse(tap="listings:show")
    assert mine.params["text"] == (
        "You have no listings on the market yet, and a home not yet published: "
        "tap Continue draft to finish it."
    )
    assert buttons(mine) == [["Continue draft", "Menu"]]
    [resume] = await platform.converse(tap="listing_form:add")
    assert resume.params["text"] == (
        "You started listing Flat 2, 20 Wharf Street, Ancoats, Manchester M4 6DE. "
        "Carry on where you left off, or start again?"
    )
    assert buttons(resume) == [["Carry on", "Start again"], ["Menu"]]
    [ask] = await platform.converse(tap="listing_form:carry_on")
    assert (ask.params["text"], buttons(ask)) == (ASK_TYPE, TYPES)
    await answer(platform, "flat", 'How many bedrooms does it have? Type a number, or "studio".')
    await answer(platform, "studio", ASK_BATHROOMS)
    [draft] = await platform.rows(ListingDraft)
    assert (draft.fields["unit"], draft.fields["bedrooms_total"]) == ("Flat 2", 0)

    await platform.converse(tap="listing_form:later")
    await platform.converse(tap="listings:show")
    await platform.converse(tap="listing_form:add")
    [ask] = await platform.converse(tap="listing_form:start_again")
    assert ask.params["text"] == ASK_ADDRESS
    [draft] = await platform.rows(ListingDraft)
    assert draft.fields == {}


async def test_edit_on_the_summary_asks_that_part_again_and_cancel_deletes_the_draft(
    platform: Platform,
) -> None:
    await platform.returning(roles=("seller",), phone=PHONE)
    await start_listing(platform)
    for text in ("22 Otley Road, Far Headingley, Leeds LS6 4BA", "semi", "3", "2", "85", "340k"):
        await platform.converse(text)
    await platform.converse("Bright family home with a south-facing garden.")
    await platform.converse(tap="listing_form:done")

    [edit] = await platform.converse(tap="listing_form:edit")
    assert edit.params["text"] == "What would you like to change?"
    assert buttons(edit) == [
        ["Address", "Type"],
        ["Bedrooms", "Bathrooms"],
        ["Floor area", "Price"],
        ["Description", "Photos"],
        ["Back"],
    ]
    [ask] = await platform.converse(tap="listing_form:change:list_price")
    assert ask.params["text"] == ASK_PRICE
    await answer(platform, "335,000", SUMMARY.format(price="335,000"), SUMMARY_BUTTONS)

    [dropped] = await platform.converse(tap="listing_form:drop")
    assert dropped.params["text"] == "Your draft is deleted; nothing was published."
    assert await platform.rows(ListingDraft) == []
    assert await platform.rows(Listing, Listing.source == "chat") == []


async def test_someone_without_a_proven_phone_proves_it_before_listing(platform: Platform) -> None:
    await platform.returning(roles=("seller",))
    await platform.converse("/start")
    [ask] = await platform.converse(tap="listings:show")
    assert ask.params["text"].startswith("What's your mobile number?")
    await platform.share_contact()
    [done, mine] = await platform.converse(platform.last_code())
    assert done.params["text"] == "Thank you, +44 7700 900123 is confirmed."
    assert buttons(mine) == [["Add a home", "Menu"]]
    [person] = await platform.rows(Person)
    assert person.verified


async def test_back_asks_the_question_before_again_forgetting_its_answer(platform: Platform) -> None:
    await platform.returning(roles=("seller",), phone=PHONE)
    await start_listing(platform)
    await answer(platform, "22 Otley Road, Leeds LS6 4BA", ASK_TYPE, TYPES)
    await answer(platform, "flat", 'How many bedrooms does it have? Type a number, or "studio".')
    await answer(platform, "back", ASK_TYPE, TYPES)
    [draft] = await platform.rows(ListingDraft)
    assert "property_sub_type" not in draft.fields
    await answer(platform, "detached", ASK_BEDROOMS_HOUSE)
    await answer(platform, "back", ASK_TYPE, TYPES)
    [ask] = await platform.converse("back")
    assert ask.params["text"] == ASK_ADDRESS
    [draft] = await platform.rows(ListingDraft)
    assert draft.fields == {}


async def test_a_seller_lists_by_sms_where_a_typed_1_is_one_bedroom_not_a_button(platform: Platform) -> None:
    seller = await platform.returning("sms", roles=("seller",), phone=PHONE)
    await platform.text("sms", "menu")
    await platform.text("sms", "1")  # My listings
    [ask] = await platform.text("sms", "1")  # Add a home
    assert ask.params["Body"] == f"{ASK_ADDRESS}\n\n1 Finish later\nReply 1"
    [ask] = await platform.text("sms", "7 Weetwood Lane, Leeds LS16 5NP")
    assert ask.params["Body"].startswith(ASK_TYPE + "\n\n1 Flat\n2 Terraced\n3 Semi-detached\n")
    [ask] = await platform.text("sms", "3")
    assert ask.params["Body"] == ASK_BEDROOMS_HOUSE
    [ask] = await platform.text("sms", "1")
    assert ask.params["Body"] == ASK_BATHROOMS
    [ask] = await platform.text("sms", "1")
    assert ask.params["Body"] == f"{ASK_AREA}\n\n1 Skip\nReply 1"
    [ask] = await platform.text("sms", "1")
    assert ask.params["Body"] == ASK_PRICE
    await platform.text("sms", "250k")
    await platform.text("sms", "1")  # Skip the description
    [summary] = await platform.text("sms", "done")
    assert summary.params["Body"].endswith(
        "Publish it? Buyers can find it as soon as you do.\n\n1 Publish\n2 Edit\n3 Cancel\nReply 1-3"
    )
    await platform.text("sms", "1")
    [listing] = await platform.rows(Listing, Listing.source == "chat")
    assert (listing.seller_id, listing.property_sub_type, listing.bedrooms_total) == (
        seller,
        "Semi-detached house",
        1,
    )
    assert (listing.bathrooms_total_integer, listing.living_area, listing.public_remarks) == (1, None, None)
    assert listing.list_price == Decimal("250000.00")
