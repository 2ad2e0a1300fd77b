"""A buyer finds a home on Telegram: every reply's exact text and buttons as they reach Telegram."""

from __future__ import annotations

import pytest

from core.dialog_state import DialogState
from core.message_log.model import InboundMessage, OutboxMessage
from tests.support import CHAT_ID, Platform, buttons

MENU = [["Find a home", "My viewings"], ["My offers", "Messages"], ["Settings", "Help"]]
LEEDS_PAGE_1 = (
    "<b>Homes for sale in Leeds</b> (1-5 of 6):\n\n"
    "<b>1. £285,000</b> - Flat\n2 bed · 1 bath · 75 m²\nHeadingley, Leeds LS6 3AG\n\n"
    "<b>2. £425,000</b> - Semi-detached house\n3 bed · 2 bath · 118 m²\nFar Headingley, Leeds LS16 5NP\n\n"
    "<b>3. £189,950</b> - Terraced house\n2 bed · 1 bath · 68 m²\nHyde Park, Leeds LS6 1PH\n\n"
    "<b>4. £650,000</b> - Detached house\n4 bed · 3 bath · 190 m²\nRoundhay, Leeds LS8 2JH\n\n"
    "<b>5. £159,000</b> - Flat\n1 bed · 1 bath · 48 m²\nCity Centre, Leeds LS2 7EQ"
)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_buyer_searches_opens_details_and_goes_back(platform: Platform) -> None:
    await platform.returning()
    [welcome] = await platform.converse("/start")
    assert welcome.method == "sendMessage"
    assert welcome.params["chat_id"] == CHAT_ID
    assert welcome.params["parse_mode"] == "HTML"
    assert welcome.params["text"] == (
        "Hi Amira! I'm <b>Doorstep</b>. I help you find a home, book viewings and make offers, "
        "right here in chat.\n\nWhat would you like to do?"
    )
    assert buttons(welcome) == MENU

    [ask] = await platform.converse(tap="menu:find")
    assert ask.params["text"] == "Which city or area? For example: Leeds, Headingley or LS6."
    assert buttons(ask) == [["All areas", "Menu"]]

    [results] = await platform.converse("Leeds")
    assert results.params["text"] == LEEDS_PAGE_1
    assert buttons(results) == [
        ["Details 1", "Details 2"],
        ["Details 3", "Details 4"],
        ["Details 5", "More results"],
        ["New search", "Menu"],
    ]

    [details] = await platform.converse(tap="search:details:DS-LDS-002")
    assert details.method == "sendPhoto"
    assert details.params["photo"] == "https://demo.doorstep.homes/photos/ds-lds-002-1.jpg"
    assert details.params["caption"] == (
        "<b>£425,000</b> - Semi-detached house\n3 bed · 2 bath · 118 m²\n"
        "7 Weetwood Lane, Far Headingley, Leeds LS16 5NP\n\n"
        "Family home with a long garden, off-street parking and a loft ready to convert."
    )
    assert buttons(details) == [["Book a viewing", "Make an offer"], ["Back to results", "Menu"]]

    [back] = await platform.converse(tap="search:back")
    assert back.params["text"] == LEEDS_PAGE_1

    [more] = await platform.converse(tap="search:more")
    assert more.params["text"] == (
        "<b>Homes for sale in Leeds</b> (6-6 of 6):\n\n"
        "<b>6. £235,000</b> - Terraced house\n3 bed · 1 bath · 92 m²\nKirkstall, Leeds LS5 3BE"
    )
    assert buttons(more) == [["Details 6", "Previous"], ["New search", "Menu"]]

    async with platform.sessions() as session:
        state = await session.get(DialogState, 1)
    assert state is not None
    assert (state.flow, state.step) == ("search", "results")
    assert state.data["offset"] == 5
    outbox = await platform.rows(OutboxMessage)
    assert [row.status for row in outbox] == ["sent"] * 6
    assert all(row.provider_message_id for row in outbox)
    assert [row.status for row in await platform.rows(InboundMessage)] == ["processed"] * 6


async def test_typed_number_and_label_choose_like_a_tap(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    [ask] = await platform.converse("find a HOME")
    assert ask.params["text"] == "Which city or area? For example: Leeds, Headingley or LS6."
    await platform.converse("LS6")
    [details] = await platform.converse("2")
    assert details.params["caption"].startswith("<b>£189,950</b> - Terraced house")


async def test_postcode_district_and_neighbourhood_find_listings(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    [by_district] = await platform.converse("ls6")
    assert by_district.params["text"].startswith("<b>Homes for sale in LS6</b> (1-2 of 2):")
    await platform.converse(tap="search:new")
    [by_area] = await platform.converse("in chorlton")
    assert by_area.params["text"].startswith("<b>Homes for sale in Chorlton</b> (1-1 of 1):")


async def test_no_results_offers_to_widen_then_shows_all_areas(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    [none] = await platform.converse("Truro")
    assert none.params["text"] == (
        "I found no homes for sale in Truro right now. Shall I look in all areas, "
        "or would you like to try another area?"
    )
    assert buttons(none) == [["All areas", "Another area"], ["Menu"]]
    [everywhere] = await platform.converse(tap="search:all")
    assert everywhere.params["text"].startswith("<b>Homes for sale in all areas</b> (1-5 of 10):\n\n")
    assert "£725,000</b> - Flat" in everywhere.params["text"]


async def test_nonsense_at_a_choice_step_reprompts_with_the_same_buttons(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    [reprompt] = await platform.converse("asdfgh")
    assert reprompt.params["text"] == (
        "Sorry, I didn't understand that.\n\nPlease choose one of the options."
    )
    assert buttons(reprompt) == MENU
    [ask] = await platform.converse("1")
    assert ask.params["text"].startswith("Which city or area?")


async def test_unreadable_area_asks_again(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    [symbols] = await platform.converse("???")
    assert symbols.params["text"] == "I couldn't find any words in that. Please answer in words or numbers."
    assert buttons(symbols) == [["All areas", "Menu"]]
    [filler] = await platform.converse("in")
    assert filler.params["text"] == (
        "Sorry, I couldn't find a place in that. Type a city or area, for example: Leeds, Headingley or LS6."
    )
    assert buttons(filler) == [["All areas", "Menu"]]


async def test_global_words_work_at_any_step(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    [cancelled] = await platform.converse("Cancel")
    assert cancelled.params["text"] == "Cancelled. What would you like to do?"
    assert buttons(cancelled) == MENU
    await platform.converse(tap="menu:find")
    [help_] = await platform.converse("help")
    assert help_.params["text"] == (
        "Here is what I can do for you:\n"
        "- Find a home: type a city, neighbourhood or postcode district, then open a home's details.\n"
        "- Book a viewing from a home's details; move or cancel it under My viewings.\n"
        "- Make an offer from a home's details; follow it, answer counter-offers or withdraw it under "
        "My offers.\n\n"
        "Type these at any time:\nmenu - back to the main menu\nback - the step before\n"
        "cancel - stop what you are doing\n"
        "settings - language, time zone and quiet hours\nlanguage - change language\n"
        "help - this message\n\nOr tap an option below."
    )
    [menu] = await platform.converse("MENU")
    assert menu.params["text"] == "What would you like to do?"


async def test_sections_not_yet_used_say_so_and_return_to_menu(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    empty, menu = await platform.converse(tap="menu:viewings")
    assert empty.params["text"] == (
        "You have no viewings booked yet. Find a home you like and book a viewing from its details."
    )
    assert buttons(empty) == []
    assert menu.params["text"] == "What would you like to do?"


async def test_a_listing_gone_off_the_market_is_not_shown(platform: Platform) -> None:
    await platform.returning()
    from sqlalchemy import update

    from core.listings.model import Listing

    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    await platform.converse("Leeds")
    async with platform.sessions() as session, session.begin():
        await session.execute(
            update(Listing).where(Listing.listing_key == "DS-LDS-001").values(standard_status="Withdrawn")
        )
    [gone] = await platform.converse(tap="search:details:DS-LDS-001")
    assert gone.params["text"].startswith(
        "Sorry, that home is no longer on the market.\n\n<b>Homes for sale in Leeds</b> (1-5 of 5):"
    )
    assert buttons(gone)[0] == ["Details 1", "Details 2"]
