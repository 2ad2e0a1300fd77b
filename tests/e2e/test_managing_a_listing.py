"""A seller manages one listing from its screen on Telegram: price, details, sold with its price, and paging
through more listings than a WhatsApp list holds."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update

from core.listings.model import Listing
from tests.e2e.test_my_listings import LDS_001, give_listing
from tests.support import PHONE, Platform, buttons


async def open_lds_001(platform: Platform) -> int:
    """A verified seller of DS-LDS-001 opens its screen; returns the seller's id."""
    seller = await platform.returning(roles=("seller",), phone=PHONE)
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    await platform.converse("/start")
    await platform.converse(tap="listings:show")
    [screen] = await platform.converse(tap="listing:open:DS-LDS-001")
    assert screen.params["caption"] == LDS_001.format("on the market")
    return seller


async def test_a_new_price_keeps_the_first_one_and_the_same_price_again_changes_nothing(
    platform: Platform,
) -> None:
    await open_lds_001(platform)
    [ask] = await platform.converse(tap="listing:price:DS-LDS-001")
    assert ask.params["text"] == (
        "14 Cardigan Road is listed at £285,000. What should the new price be? For example 275000 or 275k."
    )
    assert buttons(ask) == [["Back"]]
    [bad] = await platform.converse("cheap")
    assert bad.params["text"] == "Please type the price as a number of pounds, for example 285000 or 285k."
    [done, screen] = await platform.converse("275k")
    assert done.params["text"] == "14 Cardigan Road is now listed at £275,000."
    assert screen.params["caption"] == LDS_001.format("on the market (first listed at £285,000)").replace(
        "£285,000 - on", "£275,000 - on"
    )
    [listing] = await platform.rows(Listing, Listing.listing_key == "DS-LDS-001")
    assert (listing.list_price, listing.original_list_price) == (Decimal("275000.00"), Decimal("285000.00"))
    changed = listing.modification_timestamp

    await platform.converse(tap="listing:price:DS-LDS-001")
    await platform.converse("260,000")
    [listing] = await platform.rows(Listing, Listing.listing_key == "DS-LDS-001")
    assert (listing.list_price, listing.original_list_price) == (Decimal("260000.00"), Decimal("285000.00"))

    await platform.converse(tap="listing:price:DS-LDS-001")
    await platform.converse("260k")
    [again] = await platform.rows(Listing, Listing.listing_key == "DS-LDS-001")
    assert again.modification_timestamp > changed
    assert again.list_price == Decimal("260000.00")


async def test_details_change_one_at_a_time_with_the_forms_rules(platform: Platform) -> None:
    await open_lds_001(platform)
    [ask] = await platform.converse(tap="listing:details:DS-LDS-001")
    assert ask.params["text"] == "What would you like to change?"
    assert buttons(ask) == [["Type", "Bedrooms"], ["Bathrooms", "Floor area"], ["Description", "Back"]]
    [ask] = await platform.converse(tap="listing:field:DS-LDS-001@property_sub_type")
    assert buttons(ask) == [["Flat", "Terraced"], ["Semi-detached", "Detached"], ["Bungalow", "Back"]]
    [done, screen] = await platform.converse(tap="listing:type:detached")
    assert done.params["text"] == "Saved. Buyers see the change at once."
    assert "Detached house · 2 bed · 1 bath · 75 m²" in screen.params["caption"]

    await platform.converse(tap="listing:details:DS-LDS-001")
    [ask] = await platform.converse(tap="listing:field:DS-LDS-001@bedrooms_total")
    assert ask.params["text"] == "How many bedrooms does it have? Type a number."
    [bad] = await platform.converse("0")
    assert bad.params["text"] == "A house has at least one bedroom. Please type how many it has."
    await platform.converse("4")

    await platform.converse(tap="listing:details:DS-LDS-001")
    await platform.converse(tap="listing:field:DS-LDS-001@living_area")
    [done, screen] = await platform.converse(tap="listing:skip")
    assert "Detached house · 4 bed · 1 bath\n" in screen.params["caption"]
    [listing] = await platform.rows(Listing, Listing.listing_key == "DS-LDS-001")
    assert (listing.property_sub_type, listing.bedrooms_total) == ("Detached house", 4)
    assert (listing.living_area, listing.living_area_units) == (None, None)


async def test_sold_with_its_price_is_final(platform: Platform) -> None:
    await open_lds_001(platform)
    [ask] = await platform.converse(tap="listing:sold:DS-LDS-001")
    assert ask.params["text"] == (
        'Congratulations! What price did 14 Cardigan Road sell for? Tap "Sold, no price" to leave it out. '
        "Marking it sold takes it off the market for good."
    )
    assert buttons(ask) == [["Sold, no price", "Back"]]
    [done, screen] = await platform.converse("281,500")
    assert done.params["text"] == (
        "14 Cardigan Road is marked as sold for £281,500. "
        "Its open offers and viewings to come are closed, and the buyers are told."
    )
    assert screen.params["caption"] == LDS_001.format("sold, sold for £281,500")
    assert buttons(screen) == [["My listings", "Menu"]]
    [listing] = await platform.rows(Listing, Listing.listing_key == "DS-LDS-001")
    assert (listing.standard_status, listing.close_price) == ("Closed", Decimal("281500.00"))


async def test_more_listings_than_a_whatsapp_list_holds_come_a_page_at_a_time(platform: Platform) -> None:
    seller = await platform.returning(roles=("seller",), phone=PHONE)
    async with platform.sessions() as session, session.begin():
        await session.execute(update(Listing).values(seller_id=seller))
    total = len(await platform.rows(Listing))
    assert total > 6
    await platform.converse("/start")
    [first] = await platform.converse(tap="listings:show")
    assert first.params["text"].startswith(f"Your listings (1-6 of {total}):\n\n1. ")
    assert buttons(first) == [
        ["Manage 1", "Manage 2"],
        ["Manage 3", "Manage 4"],
        ["Manage 5", "Manage 6"],
        ["Add a home", "More listings"],
        ["Menu"],
    ]
    [second] = await platform.converse(tap="listings:page:6")
    assert second.params["text"].startswith(f"Your listings (7-{min(12, total)} of {total}):\n\n7. ")
    assert buttons(second)[0][0] == "Manage 7"
    assert ["Add a home", "Previous"] in buttons(second)
