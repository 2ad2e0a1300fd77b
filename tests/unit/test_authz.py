"""Who may do what with a listing or an offer: every refusal, its message key, and the text it shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from bots.texts import Texts
from core.errors import DomainError, Forbidden, VerificationRequired
from core.listings.authz import (
    Action,
    authorize_buyer,
    authorize_listing,
    authorize_offer_buyer,
    is_admin,
    manages,
    side_in,
)
from core.listings.model import Listing
from core.people.model import Person, PersonRole

TEXTS = Texts("en")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ARABIC = re.compile("[\u0600-\u06ff]")
PROVEN_AT = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)

SELLER, BROKER, BUYER, STRANGER, ADMIN, OTHER_SELLER = 1, 2, 3, 4, 5, 6

MANAGER_ACTIONS = [
    Action.SET_LISTING_STATUS,
    Action.EDIT_LISTING,
    Action.SET_AVAILABILITY,
    Action.CONFIRM_VIEWING,
    Action.ANSWER_OFFER,
]
BUYER_ACTIONS = [Action.BOOK_VIEWING, Action.MAKE_OFFER]

# Every message a refusal can show, in English, keyed by its template.
REFUSAL_TEXTS = {
    "errors.forbidden.set_listing_status": (
        "Sorry, only the seller or broker of this home can take it off the market or put it back."
    ),
    "errors.forbidden.edit_listing": "Sorry, only the seller or broker of this home can change it.",
    "errors.forbidden.set_availability": (
        "Sorry, only the seller or broker of this home can set its viewing times."
    ),
    "errors.forbidden.confirm_viewing": (
        "Sorry, only the seller or broker of this home can confirm or decline its viewings."
    ),
    "errors.forbidden.answer_offer": "Sorry, only the seller or broker of this home can answer offers on it.",
    "errors.forbidden.own_listing.book_viewing": "You can't book a viewing of a home you sell or broker.",
    "errors.forbidden.own_listing.make_offer": "You can't make an offer on a home you sell or broker.",
    "errors.forbidden.withdraw_offer": "Sorry, only the buyer who made this offer can withdraw it.",
    "errors.verification_required": "Please confirm your phone number first.",
}
FORBIDDEN_TO_MANAGE = {
    Action.SET_LISTING_STATUS: "errors.forbidden.set_listing_status",
    Action.EDIT_LISTING: "errors.forbidden.edit_listing",
    Action.SET_AVAILABILITY: "errors.forbidden.set_availability",
    Action.CONFIRM_VIEWING: "errors.forbidden.confirm_viewing",
    Action.ANSWER_OFFER: "errors.forbidden.answer_offer",
}
FORBIDDEN_ON_OWN = {
    Action.BOOK_VIEWING: "errors.forbidden.own_listing.book_viewing",
    Action.MAKE_OFFER: "errors.forbidden.own_listing.make_offer",
}


def person(
    person_id: int,
    *roles: str,
    phone: str | None = "+447700900123",
    proven_at: datetime | None = PROVEN_AT,
) -> Person:
    """A person as loaded from the database: an id, a phone (proven unless told), and roles."""
    someone = Person(id=person_id, phone=phone, phone_verified_at=proven_at)
    someone.roles = [PersonRole(person_id=person_id, role=role, granted_at=PROVEN_AT) for role in roles]
    return someone


def listing(seller_id: int | None = SELLER, broker_id: int | None = BROKER) -> Listing:
    """DS-LDS-001 sold by SELLER through BROKER unless told otherwise."""
    return Listing(
        id=10, listing_key="DS-LDS-001", standard_status="Active", seller_id=seller_id, broker_id=broker_id
    )


def verdict(check: Callable[..., None], *args: Any) -> str:
    """ "allowed" when the check lets the action through, else the message key of its refusal."""
    try:
        check(*args)
    except DomainError as error:
        return error.message_key
    return "allowed"


def refusal(check: Callable[..., None], *args: Any) -> DomainError:
    """The DomainError a check raises (failing the test when it lets the action through)."""
    with pytest.raises(DomainError) as raised:
        check(*args)
    return raised.value


# --- Managing a listing: status, viewing times, viewings, offers -------------------------------------


@pytest.mark.parametrize("action", MANAGER_ACTIONS)
def test_the_verified_seller_and_broker_may_manage_their_listing(action: Action) -> None:
    cases = [
        (person(SELLER, "seller"), listing()),
        (person(BROKER, "broker", phone="+447700900456"), listing()),
        (person(SELLER, "seller"), listing(broker_id=None)),
        (person(BROKER, "broker"), listing(seller_id=None)),
    ]
    assert [verdict(authorize_listing, who, home, action) for who, home in cases] == ["allowed"] * 4
    assert [manages(who, home) for who, home in cases] == [True] * 4
    # The same people on the listing of another seller: refused.
    elsewhere = listing(seller_id=OTHER_SELLER, broker_id=None)
    assert {verdict(authorize_listing, who, elsewhere, action) for who, _ in cases} == {
        FORBIDDEN_TO_MANAGE[action]
    }


@pytest.mark.parametrize("action", MANAGER_ACTIONS)
@pytest.mark.parametrize(
    "who",
    [
        person(STRANGER),
        person(BUYER, "buyer"),
        person(OTHER_SELLER, "seller"),
        person(OTHER_SELLER, "broker"),
        person(ADMIN, "admin"),
        person(ADMIN, "admin", "seller", "broker", "buyer"),
        person(STRANGER, phone=None, proven_at=None),
        person(BUYER, "buyer", phone="+447700900999", proven_at=None),
    ],
    ids=[
        "stranger",
        "buyer",
        "seller-of-another-listing",
        "broker-of-another-listing",
        "admin",
        "admin-with-every-role",
        "unverified-stranger",
        "unverified-buyer",
    ],
)
def test_anyone_but_the_seller_or_broker_is_forbidden(who: Person, action: Action) -> None:
    error = refusal(authorize_listing, who, listing(), action)
    assert type(error) is Forbidden
    assert error.message_key == FORBIDDEN_TO_MANAGE[action]
    assert error.code == "forbidden"


@pytest.mark.parametrize("action", MANAGER_ACTIONS)
def test_a_listing_with_no_seller_or_broker_is_managed_by_nobody(action: Action) -> None:
    unowned = listing(seller_id=None, broker_id=None)
    for who in (person(SELLER, "seller"), person(BROKER, "broker"), person(ADMIN, "admin")):
        error = refusal(authorize_listing, who, unowned, action)
        assert (type(error), error.message_key) == (Forbidden, FORBIDDEN_TO_MANAGE[action])


@pytest.mark.parametrize("action", MANAGER_ACTIONS)
@pytest.mark.parametrize(
    "who",
    [
        person(SELLER, "seller", phone=None, proven_at=None),
        person(SELLER, "seller", proven_at=None),
        person(SELLER, "seller", phone=None),
        person(BROKER, "broker", phone=None, proven_at=None),
        person(BROKER, "broker", phone="+447700900456", proven_at=None),
    ],
    ids=[
        "seller-no-phone",
        "seller-phone-not-proven",
        "seller-proven-at-but-no-phone",
        "broker-no-phone",
        "broker-phone-not-proven",
    ],
)
def test_the_seller_or_broker_must_prove_their_phone_first(who: Person, action: Action) -> None:
    error = refusal(authorize_listing, who, listing(), action)
    assert type(error) is VerificationRequired
    assert error.message_key == "errors.verification_required"
    assert error.code == "verification_required"


def test_an_admin_is_known_as_one_but_gets_no_listing_rights() -> None:
    admin = person(ADMIN, "admin")
    assert is_admin(admin) is True
    assert is_admin(person(SELLER, "seller", "broker", "buyer")) is False
    error = refusal(authorize_listing, admin, listing(), Action.SET_LISTING_STATUS)
    assert error.message_key == "errors.forbidden.set_listing_status"
    assert verdict(authorize_listing, person(SELLER, "admin", "seller"), listing(), Action.ANSWER_OFFER) == (
        "allowed"
    )


@pytest.mark.parametrize("action", [*BUYER_ACTIONS, Action.WITHDRAW_OFFER, "delete_listing"])
def test_a_listing_check_for_an_action_that_is_not_a_managers_is_a_programming_error(action: str) -> None:
    with pytest.raises(ValueError, match=f"^{action} is not an action on a listing$"):
        authorize_listing(person(SELLER, "seller"), listing(), action)  # type: ignore[arg-type]


# --- Buying: booking a viewing, making an offer -------------------------------------------------------


@pytest.mark.parametrize("action", BUYER_ACTIONS)
def test_a_verified_buyer_may_book_and_offer(action: Action) -> None:
    # A seller may buy homes that others sell.
    cases = [
        (person(BUYER, "buyer"), listing()),
        (person(OTHER_SELLER, "seller"), listing()),
        (person(BUYER, "buyer"), listing(seller_id=None, broker_id=None)),
    ]
    assert [verdict(authorize_buyer, who, home, action) for who, home in cases] == ["allowed"] * 3
    # The same people once their phone is no longer proven: asked to prove it.
    for who, _ in cases:
        who.phone_verified_at = None
    assert {verdict(authorize_buyer, who, home, action) for who, home in cases} == {
        "errors.verification_required"
    }


@pytest.mark.parametrize("action", BUYER_ACTIONS)
@pytest.mark.parametrize(
    "who",
    [
        person(SELLER, "seller", "buyer"),
        person(BROKER, "broker"),
        person(SELLER, "seller", phone=None, proven_at=None),
        person(BROKER, "broker", "admin"),
    ],
    ids=["seller", "broker", "unverified-seller", "broker-who-is-admin"],
)
def test_nobody_books_or_offers_on_a_home_they_sell_or_broker(who: Person, action: Action) -> None:
    error = refusal(authorize_buyer, who, listing(), action)
    assert type(error) is Forbidden
    assert error.message_key == FORBIDDEN_ON_OWN[action]


@pytest.mark.parametrize("action", BUYER_ACTIONS)
@pytest.mark.parametrize(
    "who",
    [
        person(BUYER, "buyer", phone=None, proven_at=None),
        person(BUYER, "buyer", proven_at=None),
        person(BUYER, "buyer", phone=None),
    ],
    ids=["no-phone", "phone-not-proven", "proven-at-but-no-phone"],
)
def test_an_unverified_buyer_must_prove_their_phone_first(who: Person, action: Action) -> None:
    error = refusal(authorize_buyer, who, listing(), action)
    assert type(error) is VerificationRequired
    assert error.message_key == "errors.verification_required"


@pytest.mark.parametrize("action", [*MANAGER_ACTIONS, Action.WITHDRAW_OFFER, "view_listing"])
def test_a_buyer_check_for_an_action_that_is_not_a_buyers_is_a_programming_error(action: str) -> None:
    with pytest.raises(ValueError, match=f"^{action} is not a buyer's action on a listing$"):
        authorize_buyer(person(BUYER, "buyer"), listing(), action)  # type: ignore[arg-type]


# --- Withdrawing an offer --------------------------------------------------------------------------------


def test_only_the_offers_buyer_may_withdraw_it() -> None:
    # The offer was made with a proven phone already, so withdrawing needs no proof again.
    assert verdict(authorize_offer_buyer, person(BUYER, "buyer"), BUYER) == "allowed"
    assert (
        verdict(authorize_offer_buyer, person(BUYER, "buyer", phone=None, proven_at=None), BUYER) == "allowed"
    )
    assert (
        verdict(authorize_offer_buyer, person(BUYER, "buyer"), BUYER + 1) == "errors.forbidden.withdraw_offer"
    )


@pytest.mark.parametrize(
    "who",
    [
        person(STRANGER),
        person(OTHER_SELLER, "buyer"),
        person(SELLER, "seller"),
        person(BROKER, "broker"),
        person(ADMIN, "admin"),
    ],
    ids=["stranger", "another-buyer", "the-seller", "the-broker", "admin"],
)
def test_nobody_else_may_withdraw_an_offer(who: Person) -> None:
    error = refusal(authorize_offer_buyer, who, BUYER)
    assert type(error) is Forbidden
    assert error.message_key == "errors.forbidden.withdraw_offer"


# --- Whose side of a viewing or an offer someone is on --------------------------------------------------


def side_verdict(who: Person, action: Action, stranger: str | None = None) -> str:
    """The side `who` is on of BUYER's dealing on the listing, or the message key of the refusal."""
    try:
        return side_in(who, BUYER, listing(), action, stranger=stranger)
    except DomainError as error:
        return error.message_key


@pytest.mark.parametrize("action", [Action.CONFIRM_VIEWING, Action.ANSWER_OFFER])
@pytest.mark.parametrize("stranger", [None, "errors.forbidden.viewing"])
def test_the_buyer_and_the_verified_seller_side_each_have_their_side(
    action: Action, stranger: str | None
) -> None:
    # The buyer needs no proven phone to see their own dealing; the seller's side does.
    sides = [
        side_verdict(person(BUYER, "buyer"), action, stranger),
        side_verdict(person(BUYER, "buyer", phone=None, proven_at=None), action, stranger),
        side_verdict(person(SELLER, "seller"), action, stranger),
        side_verdict(person(BROKER, "broker"), action, stranger),
    ]
    assert sides == ["buyer", "buyer", "seller", "seller"]
    assert side_verdict(person(SELLER, "seller", proven_at=None), action, stranger) == (
        "errors.verification_required"
    )


@pytest.mark.parametrize(
    ("action", "stranger", "refused"),
    [
        (Action.ANSWER_OFFER, None, "errors.forbidden.answer_offer"),
        (Action.CONFIRM_VIEWING, None, "errors.forbidden.confirm_viewing"),
        (Action.CONFIRM_VIEWING, "errors.forbidden.viewing", "errors.forbidden.viewing"),
    ],
)
def test_anyone_on_neither_side_is_refused_as_told(
    action: Action, stranger: str | None, refused: str
) -> None:
    # Unverified or not, someone who neither bought nor manages gets the refusal, never a request for proof.
    for who in (
        person(STRANGER),
        person(OTHER_SELLER, "seller"),
        person(ADMIN, "admin"),
        person(STRANGER, phone=None, proven_at=None),
    ):
        error = refusal(partial(side_in, stranger=stranger), who, BUYER, listing(), action)
        assert (type(error), error.message_key) == (Forbidden, refused)


# --- What each refusal says --------------------------------------------------------------------------------


def every_refusal_key() -> set[str]:
    """The message key of every refusal the rules can produce, found by trying every action."""
    keys = set()
    unverified_stranger = person(STRANGER, phone=None, proven_at=None)
    unverified_seller = person(SELLER, "seller", phone=None, proven_at=None)
    for action in MANAGER_ACTIONS:
        keys.add(refusal(authorize_listing, unverified_stranger, listing(), action).message_key)
        keys.add(refusal(authorize_listing, unverified_seller, listing(), action).message_key)
    for action in BUYER_ACTIONS:
        keys.add(refusal(authorize_buyer, unverified_seller, listing(), action).message_key)
        keys.add(refusal(authorize_buyer, unverified_stranger, listing(), action).message_key)
    keys.add(refusal(authorize_offer_buyer, unverified_stranger, BUYER).message_key)
    return keys


def test_every_action_has_its_own_refusal_and_no_other_keys_exist() -> None:
    assert set(Action) == {*MANAGER_ACTIONS, *BUYER_ACTIONS, Action.WITHDRAW_OFFER}
    assert every_refusal_key() == set(REFUSAL_TEXTS)


@pytest.mark.parametrize(("key", "english"), REFUSAL_TEXTS.items(), ids=list(REFUSAL_TEXTS))
def test_every_refusal_has_an_english_and_an_arabic_text(key: str, english: str) -> None:
    assert (TEMPLATES / "en" / f"{key}.j2").is_file()
    assert (TEMPLATES / "ar" / f"{key}.j2").is_file()
    assert TEXTS.render(key, locale="en", channel="sms") == english
    arabic = TEXTS.render(key, locale="ar", channel="sms")
    assert arabic == (TEMPLATES / "ar" / f"{key}.j2").read_text(encoding="utf-8").strip()
    assert ARABIC.search(arabic)
    assert not re.search("[A-Za-z]", arabic)


def test_the_arabic_refusal_for_a_listing_status_change() -> None:
    assert TEXTS.render("errors.forbidden.set_listing_status", locale="ar", channel="sms") == (
        "عذراً، سحب هذا المنزل من السوق أو إعادة عرضه يقتصر على بائعه أو الوسيط العقاري المسؤول عنه."
    )
