"""A broker lists a home for its seller, named by phone: the seller accepts by SMS or on Telegram, then both
manage it; a decline and a cancelled invitation reach the other side too."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import update

from core.listings.model import Listing, SellerInvitation
from core.people.model import ChannelIdentity, Person
from doorstep.simulator.telegram_api import ApiCall
from tests.support import PHONE, TURN_SECONDS, Platform, buttons, tap_update, text_update

SELLER_CHAT = 600700900
SELLER_UPDATE_IDS = itertools.count(800_001)  # apart from the broker's update ids (tests.support)
NEW_SELLER = "+447700900555"
KNOWN_SELLER = "+447700900201"
ASK_PHONE = (
    "What is the mobile number of the seller of Flat 41, 1 Ancoats Street? Type it, for example "
    "07700 900123 or +44 7700 900123. I'll invite them to manage the home with you."
)
LISTING_BUTTONS = [
    ["Change price", "Edit details"],
    ["Photos", "Viewing hours"],
    ["Take off market", "Mark as sold"],
]
LISTING_BUTTONS_TO_INVITE = [*LISTING_BUTTONS, ["Invite the seller", "My listings"], ["Menu"]]
BROKER_LISTINGS = (
    "Your listings:\n\n1. Flat 41, 1 Ancoats Street, Ancoats, Manchester M4 6AE\n£310,000 - on the market"
)
INVITED_SMS = (
    "Bilal, a broker on Doorstep, has listed Flat 41, 1 Ancoats Street, Ancoats, Manchester M4 6AE for "
    "£310,000 and named you as its seller. Accept to manage it with them: viewing requests, offers and its "
    "place on the market.\n\n1 Accept\n2 Decline\nReply 1 or 2. STOP to opt out"
)


async def give_listing(platform: Platform, listing_key: str, **values: object) -> None:
    """Change a listing's row as our team does: its seller_id, broker_id or standard_status."""
    async with platform.sessions() as session, session.begin():
        await session.execute(update(Listing).where(Listing.listing_key == listing_key).values(**values))


async def seller_converse(
    platform: Platform, text: str | None = None, *, tap: str | None = None
) -> list[ApiCall]:
    """The seller, in their own Telegram chat, sends a message or taps; returns the replies to them."""
    platform.clock.advance(seconds=TURN_SECONDS)
    update_id = next(SELLER_UPDATE_IDS)
    if tap is not None:
        update_ = tap_update(update_id, tap)
        update_["callback_query"]["from"]["id"] = SELLER_CHAT
        update_["callback_query"]["message"]["chat"]["id"] = SELLER_CHAT
    else:
        update_ = text_update(update_id, text or "")
        update_["message"]["from"]["id"] = update_["message"]["chat"]["id"] = SELLER_CHAT
    before = len(platform.telegram.calls)
    response = await platform.post(update_)
    assert response.status == 200, await response.text()
    await platform.deliver_all()
    calls = platform.telegram.calls[before:]
    return [call for call in calls if call.failed_status is None and call.params["chat_id"] == SELLER_CHAT]


async def broker_invites(platform: Platform, typed: str) -> list[ApiCall]:
    """Bilal, a broker on Telegram, opens My listings and invites the number `typed` to sell DS-MAN-001."""
    await platform.converse("/start")
    [mine] = await platform.converse(tap="listings:show")
    assert mine.params["text"] == BROKER_LISTINGS
    [one] = await platform.converse(tap="listing:open:DS-MAN-001")
    assert buttons(one) == LISTING_BUTTONS_TO_INVITE
    [ask] = await platform.converse(tap="invitation:new:DS-MAN-001")
    assert ask.params["text"] == ASK_PHONE
    assert buttons(ask) == [["My listings", "Menu"]]
    return await platform.converse(typed)


async def invitation_row(platform: Platform) -> SellerInvitation:
    [row] = await platform.rows(SellerInvitation)
    return row


async def seller_of(platform: Platform, listing_key: str = "DS-MAN-001") -> int | None:
    [listing] = await platform.rows(Listing, Listing.listing_key == listing_key)
    return listing.seller_id


async def test_a_broker_lists_for_a_new_seller_who_accepts_by_sms_and_both_manage_it(
    platform: Platform,
) -> None:
    broker = await platform.returning(roles=("broker",), phone=PHONE, name="Bilal")
    await give_listing(platform, "DS-MAN-001", broker_id=broker)

    [sent] = await broker_invites(platform, "07700 900555")
    assert sent.params["text"] == (
        "I've invited +44 7700 900555 to be the seller of Flat 41, 1 Ancoats Street. "
        "I'll tell you when they answer."
    )
    assert buttons(sent) == [["Cancel invitation", "My listings"], ["Menu"]]
    invitation = await invitation_row(platform)
    assert (invitation.status, invitation.phone, invitation.broker_id) == ("pending", NEW_SELLER, broker)
    [stranger] = await platform.rows(Person, Person.id == invitation.invitee_id)
    assert (stranger.phone, stranger.onboarded_at, stranger.roles) == (None, None, [])
    assert platform.texts_to(NEW_SELLER) == [INVITED_SMS]
    assert len(INVITED_SMS) <= 320
    assert await seller_of(platform) is None

    before = len(platform.telegram.calls)
    accepted_at = platform.clock.now() + timedelta(seconds=TURN_SECONDS)
    replies = await platform.text("sms", "1", From=NEW_SELLER)
    assert [r.params["Body"] for r in replies] == [
        "You're now the seller of Flat 41, 1 Ancoats Street on Doorstep, with Bilal as your broker.",
        "Great, let's get your home in front of buyers. What should I call you?",
    ]
    [told] = platform.telegram.calls[before:]
    assert told.params["text"] == (
        "+44 7700 900555 accepted: they're now the seller of Flat 41, 1 Ancoats Street, "
        "and you both manage it."
    )
    invitation = await invitation_row(platform)
    assert (invitation.status, invitation.answered_at) == ("accepted", accepted_at)
    [seller] = await platform.rows(Person, Person.id == invitation.invitee_id)
    assert (seller.phone, seller.phone_verified_at) == (NEW_SELLER, accepted_at)
    assert [r.role for r in seller.roles] == ["seller"]
    assert await seller_of(platform) == seller.id
    [identity] = await platform.rows(ChannelIdentity, ChannelIdentity.person_id == seller.id)
    assert (identity.channel, identity.address, identity.verified_at) == (
        "sms",
        NEW_SELLER,
        seller.phone_verified_at,
    )

    replies = await platform.text("sms", "Sara", From=NEW_SELLER)
    assert [r.params["Body"] for r in replies] == [
        "Nice to meet you, Sara! Your number is already confirmed, "
        "so buyers know they're dealing with a real seller.",
        "Your listings:\n\n1. Flat 41, 1 Ancoats Street, Ancoats, Manchester M4 6AE\n£310,000 - on the market"
        "\n\n1 Manage 1\n2 Add a home\n3 Menu\nReply 1-3",
    ]

    [one] = await platform.text("sms", "1", From=NEW_SELLER)
    assert one.params["Body"] == (
        "Flat 41, 1 Ancoats Street, Ancoats, Manchester M4 6AE\n£310,000 - on the market\n\n"
        "Flat · 2 bed · 2 bath · 82 sq m\n2 photos\n\n1 Change price\n2 Edit details\n3 Photos\n"
        "4 Viewing hours\n5 Take off market\n6 Mark as sold\n7 My listings\n8 Menu\nReply 1-8"
    )
    replies = await platform.text("sms", "5", From=NEW_SELLER)
    assert replies[0].params["Body"] == (
        "Flat 41, 1 Ancoats Street is off the market. Buyers can't find it until you put it back."
    )
    [listing] = await platform.rows(Listing, Listing.listing_key == "DS-MAN-001")
    assert listing.standard_status == "Withdrawn"

    [mine] = await platform.converse(tap="listings:show")
    assert mine.params["text"] == BROKER_LISTINGS.replace("on the market", "off the market")
    [one] = await platform.converse(tap="listing:open:DS-MAN-001")
    assert buttons(one) == [
        ["Change price", "Edit details"],
        ["Photos", "Put back on market"],
        ["Mark as sold", "My listings"],
        ["Menu"],
    ]
    [back, one] = await platform.converse(tap="listings:relist:DS-MAN-001")
    assert back.params["text"] == "Flat 41, 1 Ancoats Street is back on the market."
    assert buttons(one) == [*LISTING_BUTTONS, ["My listings", "Menu"]]


async def test_a_known_seller_accepts_on_telegram_and_sees_their_listings(platform: Platform) -> None:
    broker = await platform.returning(roles=("broker",), phone=PHONE, name="Bilal")
    seller = await platform.returning(
        address=str(SELLER_CHAT), name="Sara", roles=("buyer",), phone=KNOWN_SELLER
    )
    await give_listing(platform, "DS-MAN-001", broker_id=broker)
    await seller_converse(platform, "/start")

    before = len(platform.telegram.calls)
    await broker_invites(platform, "+44 7700 900201")
    [invited] = [c for c in platform.telegram.calls[before:] if c.params["chat_id"] == SELLER_CHAT]
    assert invited.params["text"] == INVITED_SMS.split("\n\n")[0]
    assert buttons(invited) == [["Accept", "Decline"]]
    assert platform.texts_to(KNOWN_SELLER) == []
    invitation = await invitation_row(platform)
    assert invitation.invitee_id == seller

    before = len(platform.telegram.calls)
    [done, mine] = await seller_converse(platform, tap=f"invitation:accept:{invitation.id}")
    assert done.params["text"] == (
        "You're now the seller of Flat 41, 1 Ancoats Street on Doorstep, with Bilal as your broker."
    )
    assert mine.params["text"] == BROKER_LISTINGS
    assert buttons(mine) == [["Manage 1", "Add a home"], ["Menu"]]
    [told] = [c for c in platform.telegram.calls[before:] if c.params["chat_id"] != SELLER_CHAT]
    assert told.params["text"] == (
        "Sara accepted: they're now the seller of Flat 41, 1 Ancoats Street, and you both manage it."
    )
    assert await seller_of(platform) == seller
    [person] = await platform.rows(Person, Person.id == seller)
    assert sorted(r.role for r in person.roles) == ["buyer", "seller"]

    [refused] = await seller_converse(platform, tap=f"invitation:accept:{invitation.id}")
    assert (
        refused.params["text"] == "This invitation has already been accepted.\n\nWhat would you like to do?"
    )
    assert buttons(refused)[0] == ["My listings", "Find a home"]
    assert await seller_of(platform) == seller

    [mine] = await platform.converse(tap="listings:show")
    assert buttons(mine) == [["Manage 1", "Add a home"], ["Menu"]]


async def test_a_decline_reaches_the_broker_who_invites_another_number_and_cancels_that(
    platform: Platform,
) -> None:
    broker = await platform.returning(roles=("broker",), phone=PHONE, name="Bilal")
    seller = await platform.returning(
        address=str(SELLER_CHAT), name="Sara", roles=("buyer",), phone=KNOWN_SELLER
    )
    await give_listing(platform, "DS-MAN-001", broker_id=broker)
    await seller_converse(platform, "/start")
    await broker_invites(platform, "07700 900201")
    first = await invitation_row(platform)

    before = len(platform.telegram.calls)
    [declined] = await seller_converse(platform, tap=f"invitation:decline:{first.id}")
    assert (
        declined.params["text"]
        == "OK, you won't be the seller of Flat 41, 1 Ancoats Street. I've told Bilal."
    )
    assert buttons(declined)[0] == ["Find a home", "My viewings"]
    [told] = [c for c in platform.telegram.calls[before:] if c.params["chat_id"] != SELLER_CHAT]
    assert told.params["text"] == (
        "+44 7700 900201 declined to be the seller of Flat 41, 1 Ancoats Street. "
        "It stays on Doorstep with you as its broker."
    )
    assert buttons(told) == [["Invite another"]]
    assert (await invitation_row(platform)).status == "declined"
    assert await seller_of(platform) is None

    [ask] = await platform.converse(tap="invitation:new:DS-MAN-001")
    assert ask.params["text"] == ASK_PHONE
    [again] = await platform.converse("07700 900")
    assert again.params["text"] == (
        'Sorry, "07700 900" isn\'t a mobile number I can text. '
        "Please type the seller's mobile number, for example +44 7700 900123."
    )
    assert buttons(again) == [["My listings", "Menu"]]
    [again] = await platform.converse("07700 900123")
    assert again.params["text"] == "That's your own number. Please type the seller's mobile number."
    [sent] = await platform.converse("07700 900555")
    assert sent.params["text"].startswith("I've invited +44 7700 900555 to be the seller of Flat 41")
    [_, second] = await platform.rows(SellerInvitation)
    assert (second.status, second.phone) == ("pending", NEW_SELLER)

    [ask] = await platform.converse(tap="invitation:new:DS-MAN-001")
    assert ask.params["text"] == (
        "Your invitation to +44 7700 900555 to be the seller of Flat 41, 1 Ancoats Street is waiting for an "
        "answer. To invite another number instead, type it, for example 07700 900123 or +44 7700 900123. "
        "I'll invite them to manage the home with you."
    )
    assert buttons(ask) == [["Cancel invitation", "My listings"], ["Menu"]]
    cancelled_at = platform.clock.now() + timedelta(seconds=TURN_SECONDS)
    [cancelled, one] = await platform.converse(tap=f"invitation:cancel:{second.id}")
    assert cancelled.params["text"] == (
        "I've cancelled your invitation to +44 7700 900555 for Flat 41, 1 Ancoats Street, and told them."
    )
    assert buttons(one) == LISTING_BUTTONS_TO_INVITE
    [_, second] = await platform.rows(SellerInvitation)
    assert (second.status, second.answered_at) == ("cancelled", cancelled_at)
    assert platform.texts_to(NEW_SELLER) == [
        INVITED_SMS,
        "Bilal has cancelled the invitation to be the seller of Flat 41, 1 Ancoats Street. "
        "There's nothing you need to do.",
    ]

    replies = await platform.text("sms", "1", From=NEW_SELLER)
    assert [r.params["Body"] for r in replies] == [
        "The broker has cancelled this invitation, so it can't be answered any more."
    ]
    assert await seller_of(platform) is None
    assert seller != broker


async def test_a_new_seller_who_writes_first_is_shown_the_invitation_and_accepts_by_typing_it(
    platform: Platform,
) -> None:
    broker = await platform.returning(roles=("broker",), phone=PHONE, name="Bilal")
    await give_listing(platform, "DS-MAN-001", broker_id=broker)
    await broker_invites(platform, "+447700900555")

    replies = await platform.text("sms", "Hi, who is this?", From=NEW_SELLER)
    assert [r.params["Body"] for r in replies] == [INVITED_SMS]
    replies = await platform.text("sms", "hello", From=NEW_SELLER)
    assert [r.params["Body"] for r in replies] == [INVITED_SMS]
    replies = await platform.text("sms", "Accept", From=NEW_SELLER)
    assert [r.params["Body"] for r in replies] == [
        "You're now the seller of Flat 41, 1 Ancoats Street on Doorstep, with Bilal as your broker.",
        "Great, let's get your home in front of buyers. What should I call you?",
    ]
    invitation = await invitation_row(platform)
    assert invitation.status == "accepted"
    assert await seller_of(platform) == invitation.invitee_id


async def test_a_number_that_said_stop_is_not_invited_and_the_broker_is_told_why(platform: Platform) -> None:
    broker = await platform.returning(roles=("broker",), phone=PHONE, name="Bilal")
    await give_listing(platform, "DS-MAN-001", broker_id=broker)
    await platform.text("sms", "STOP", From=NEW_SELLER)
    sent_before = len(platform.texts_to(NEW_SELLER))

    [refused] = await broker_invites(platform, "07700 900555")
    assert refused.params["text"] == (
        "That number has asked not to get texts from Doorstep, so the invitation can't reach it. "
        "The seller can text START to us to allow them again.\n\nWhat would you like to do?"
    )
    assert buttons(refused)[0] == ["My listings", "Find a home"]
    assert await platform.rows(SellerInvitation) == []
    assert len(platform.texts_to(NEW_SELLER)) == sent_before


async def test_a_broker_adds_a_home_naming_its_seller_who_accepts_by_sms(platform: Platform) -> None:
    broker = await platform.returning(roles=("broker",), phone=PHONE, name="Bilal")
    await platform.converse("/start")
    await platform.converse(tap="listings:show")
    [ask] = await platform.converse(tap="listing_form:add")
    answers = [
        "22 Otley Road, Far Headingley, Leeds LS6 4BA",
        "semi",
        "3",
        "2",
        "915 sq ft",
        "340k",
        "Bright family home with a south-facing garden.",
        "done",
    ]
    for text in answers:
        [ask] = await platform.converse(text)
    assert ask.params["text"] == (
        "Who is the seller? Type their mobile number, for example +44 7700 900123, and I'll invite them to "
        "manage this home with you. Tap Skip if you list it alone."
    )
    [again] = await platform.converse("07700 900123")
    assert again.params["text"] == "That's your own number. Please type the seller's mobile number."
    [again] = await platform.converse("0113 496 0000")
    assert again.params["text"] == (
        'Sorry, "0113 496 0000" isn\'t a mobile number I can text. '
        "Please type the seller's mobile number, for example +44 7700 900123."
    )
    [summary] = await platform.converse("07700 900555")
    assert "The seller (+44 7700 900555) will be invited to manage it with you." in summary.params["text"]
    assert await platform.rows(SellerInvitation) == []

    [done, screen] = await platform.converse(tap="listing_form:publish")
    assert done.params["text"] == (
        "22 Otley Road is on the market. Buyers searching Leeds can find it now. "
        "I've invited the seller (+44 7700 900555) to manage it with you."
    )
    assert buttons(screen)[-2:] == [["Invite the seller", "My listings"], ["Menu"]]
    [listing] = await platform.rows(Listing, Listing.unparsed_address == "22 Otley Road")
    assert (listing.broker_id, listing.seller_id) == (broker, None)
    [invitation] = await platform.rows(SellerInvitation)
    assert (invitation.listing_id, invitation.status, invitation.phone) == (listing.id, "pending", NEW_SELLER)
    [invited] = platform.texts_to(NEW_SELLER)
    assert invited.startswith("Bilal, a broker on Doorstep, has listed 22 Otley Road, Far Headingley, Leeds")
    assert invited.endswith("\n\n1 Accept\n2 Decline\nReply 1 or 2. STOP to opt out")

    replies = await platform.text("sms", "1", From=NEW_SELLER)
    assert replies[0].params["Body"] == (
        "You're now the seller of 22 Otley Road on Doorstep, with Bilal as your broker."
    )
    [listing] = await platform.rows(Listing, Listing.unparsed_address == "22 Otley Road")
    assert (listing.broker_id, listing.seller_id) == (broker, invitation.invitee_id)
