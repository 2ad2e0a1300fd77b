"""Every choice id a flow offers is built by its route, keeps its wire form, and parses back through it."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

import bots.flows
from bots.dialog.routes import ArgRoute, Route
from bots.flows.catalog import FLOWS
from bots.flows.routes import listings as listings
from bots.flows.routes import menu as menu
from bots.flows.routes import offers as offers
from bots.flows.routes import people as people
from bots.flows.routes import searches as search
from bots.flows.routes import viewings as viewings
from core.viewings.slots import Window

AT = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
DAY = date(2026, 11, 28)
KEY = "DS-LEEDS-0001"

# Each route with a value, and the id it must build: the form stored dialog states and sent buttons carry.
WIRE: list[tuple[Route | ArgRoute[Any], Any, str]] = [
    (menu.find, None, "menu:find"),
    (menu.viewings, None, "menu:viewings"),
    (menu.offers, None, "menu:offers"),
    (menu.messages, None, "menu:messages"),
    (menu.help_, None, "menu:help"),
    (menu.show, None, "menu:show"),
    (listings.show, None, "listings:show"),
    (listings.withdraw, KEY, f"listings:withdraw:{KEY}"),
    (listings.relist, KEY, f"listings:relist:{KEY}"),
    (listings.page, 6, "listings:page:6"),
    (listings.open_, KEY, f"listing:open:{KEY}"),
    (listings.price, KEY, f"listing:price:{KEY}"),
    (listings.details, KEY, f"listing:details:{KEY}"),
    (listings.field, (KEY, "bedrooms_total"), f"listing:field:{KEY}@bedrooms_total"),
    (listings.photos, KEY, f"listing:photos:{KEY}"),
    (listings.new_photos_done, None, "listing:photos_done"),
    (listings.sold, KEY, f"listing:sold:{KEY}"),
    (listings.sold_unpriced, None, "listing:sold_unpriced"),
    (listings.skip_detail, None, "listing:skip"),
    (listings.detail_sub_type, "semi", "listing:type:semi"),
    (listings.add, None, "listing_form:add"),
    (listings.carry_on, None, "listing_form:carry_on"),
    (listings.start_again, None, "listing_form:start_again"),
    (listings.sub_type, "flat", "listing_form:type:flat"),
    (listings.skip, None, "listing_form:skip"),
    (listings.photos_done, None, "listing_form:done"),
    (listings.publish, None, "listing_form:publish"),
    (listings.edit, None, "listing_form:edit"),
    (listings.change, "list_price", "listing_form:change:list_price"),
    (listings.drop, None, "listing_form:drop"),
    (listings.save_for_later, None, "listing_form:later"),
    (listings.invite, KEY, f"invitation:new:{KEY}"),
    (listings.accept_invitation, 4, "invitation:accept:4"),
    (listings.decline_invitation, 4, "invitation:decline:4"),
    (listings.cancel_invitation, 4, "invitation:cancel:4"),
    (search.all_areas, None, "search:all"),
    (search.new, None, "search:new"),
    (search.more, None, "search:more"),
    (search.previous, None, "search:previous"),
    (search.back, None, "search:back"),
    (search.details, KEY, f"search:details:{KEY}"),
    (people.role, "seller", "onboarding:role:seller"),
    (people.keep_name, None, "onboarding:name:keep"),
    (people.send_here, None, "verify:here"),
    (people.other_number, None, "verify:other"),
    (people.resend, None, "verify:resend"),
    (people.set_language, "ar", "language:set:ar"),
    (people.settings, None, "settings:show"),
    (people.language, None, "settings:language"),
    (people.timezone, None, "settings:timezone"),
    (people.quiet, None, "settings:quiet"),
    (people.set_quiet, "2200-0800", "settings:quiet_set:2200-0800"),
    (people.verify, None, "settings:verify"),
    (people.reach, None, "settings:reach"),
    (people.set_reach, "whatsapp", "settings:reach_set:whatsapp"),
    (offers.start, KEY, f"offer:start:{KEY}"),
    (offers.drop, None, "offer:drop"),
    (offers.high, "yes", "offer:high:yes"),
    (offers.position, "chain_free", "offer:position:chain_free"),
    (offers.when, "flexible", "offer:when:flexible"),
    (offers.skip, None, "offer:skip"),
    (offers.send, None, "offer:send"),
    (offers.mine, None, "offers:show"),
    (offers.open_, 17, "offers:open:17"),
    (offers.accept, 17, "offers:accept:17"),
    (offers.reject, 17, "offers:reject:17"),
    (offers.counter, 17, "offers:counter:17"),
    (offers.counter_high, (17, "no"), "offers:counter_high:17:no"),
    (offers.withdraw, 17, "offers:withdraw:17"),
    (offers.withdraw_answer, (17, "yes"), "offers:withdraw:17:yes"),
    (viewings.book, KEY, f"booking:start:{KEY}"),
    (viewings.book_days, 1, "booking:days:1"),
    (viewings.book_day, DAY, "booking:day:2026-11-28"),
    (viewings.book_later, (DAY, 2), "booking:later:2026-11-28@2"),
    (viewings.book_at, (KEY, AT), f"booking:at:{KEY}@20261128T1030"),
    (viewings.book_anyway, (KEY, AT), f"booking:anyway:{KEY}@20261128T1030"),
    (viewings.viewers, (9, 2), "booking:viewers:9@2"),
    (viewings.confirm_booking, (9, 2), "booking:confirm:9@2"),
    (viewings.drop_booking, 9, "booking:drop:9"),
    (viewings.mine, None, "viewings:show"),
    (viewings.open_, 9, "viewings:open:9"),
    (viewings.confirm, 9, "viewings:confirm:9"),
    (viewings.decline, 9, "viewings:decline:9"),
    (viewings.propose, 9, "viewings:propose:9"),
    (viewings.move, 9, "viewings:move:9"),
    (viewings.offer_time, (9, AT), "viewings:offer:9@20261128T1030"),
    (viewings.send_proposals, 9, "viewings:sendprop:9"),
    (viewings.move_to, (9, AT), "viewings:moveto:9@20261128T1030"),
    (viewings.move_anyway, (9, AT), "viewings:moveanyway:9@20261128T1030"),
    (viewings.take, (9, AT), "viewings:take:9@20261128T1030"),
    (viewings.none_suit, 9, "viewings:none:9"),
    (viewings.cancel, 9, "viewings:cancel:9"),
    (viewings.why, (9, "reason_found_home"), "viewings:why:9@reason_found_home"),
    (viewings.completed, 9, "viewings:done:9"),
    (viewings.no_show, 9, "viewings:noshow:9"),
    (viewings.pick_day, DAY, "viewings:day:2026-11-28"),
    (viewings.pick_later, (DAY, 1), "viewings:later:2026-11-28@1"),
    (viewings.more_days, 1, "viewings:days:1"),
    (viewings.hours, KEY, f"hours:show:{KEY}"),
    (viewings.use_suggested, KEY, f"hours:use:{KEY}"),
    (viewings.change_days, KEY, f"hours:days:{KEY}"),
    (viewings.toggle_day, (KEY, 5), f"hours:toggle:{KEY}@5"),
    (viewings.save_days, KEY, f"hours:savedays:{KEY}"),
    (viewings.change_hours, KEY, f"hours:hours:{KEY}"),
    (viewings.set_hours, (KEY, Window(time(10), time(16))), f"hours:sethours:{KEY}@10:00-16:00"),
    (viewings.slot_length, KEY, f"hours:slot:{KEY}"),
    (viewings.set_slot, (KEY, 45), f"hours:setslot:{KEY}@45"),
    (viewings.block_date, KEY, f"hours:block:{KEY}"),
    (viewings.block_day, (KEY, DAY), f"hours:blockday:{KEY}@2026-11-28"),
    (viewings.reopen_day, (KEY, DAY), f"hours:reopen:{KEY}@2026-11-28"),
    (viewings.switch_mode, KEY, f"hours:mode:{KEY}"),
]


def _build(route: Route | ArgRoute[Any], value: Any) -> str:
    return route() if isinstance(route, Route) else route(value)


@pytest.mark.parametrize(("route", "value", "wire"), WIRE, ids=[wire for _, _, wire in WIRE])
def test_a_route_builds_its_id_as_it_always_was_and_reads_it_back(
    route: Route | ArgRoute[Any], value: Any, wire: str
) -> None:
    assert _build(route, value) == wire
    found = FLOWS.route_of(wire)
    assert found is not None, f"no flow takes {wire}"
    assert found == (route, () if isinstance(route, Route) else (value,))


def _declared_routes() -> list[Route | ArgRoute[Any]]:
    """Every route any module of bots.flows declares."""
    routes: list[Route | ArgRoute[Any]] = []
    for info in pkgutil.walk_packages(bots.flows.__path__, "bots.flows."):
        module = importlib.import_module(info.name)
        routes += [v for v in vars(module).values() if isinstance(v, Route | ArgRoute) and v not in routes]
    return routes


def test_every_declared_route_is_pinned_above_and_taken_by_its_flow() -> None:
    declared = _declared_routes()
    assert {id(r) for r in declared} == {id(route) for route, _, _ in WIRE}
    taken = FLOWS.routes()
    for route in declared:
        assert route in taken, f"{route} has no handler in flow {route.flow}"
        assert route.flow in FLOWS


def test_every_id_the_conversation_tests_tap_parses_back_through_a_route() -> None:
    tests = Path(__file__).parents[1]
    tapped = {
        choice_id
        for path in (*tests.glob("e2e/*.py"), *tests.glob("integration/*.py"))
        for choice_id in re.findall(r'tap="([a-z_]+:[^"{}]+)"', path.read_text())
    }
    assert len(tapped) > 40
    unread = sorted(choice_id for choice_id in tapped if FLOWS.route_of(choice_id) is None)
    assert unread == []


@pytest.mark.parametrize(
    "choice_id",
    ["offers:accept:x", "viewings:take:9@tomorrow", "booking:viewers:x@2", "hours:toggle:", "nowhere:at:1"],
)
def test_an_id_no_route_can_read_is_left_to_the_flow_or_refused(choice_id: str) -> None:
    assert FLOWS.route_of(choice_id) is None
