"""Add a home: the new-listing form, asking only for what the draft lacks, then Publish, Edit or Cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import menu_button, resume, show_menu
from bots.flows.listings import photo_intake
from bots.flows.listings.publishing import SELLER_PHONE, drop, publish_it, show_summary
from bots.flows.listings.questions import ANSWERS, Buttons, address_step, ask, read_address, read_answer
from bots.flows.people import verify
from bots.flows.routes import listings as routes
from core.answers import AnswerKind
from core.errors import DomainError, InvitationRefused
from core.listings.address import Address
from core.listings.drafts import (
    STEPS,
    add_photo,
    address_of,
    discard_draft,
    draft_of,
    fill,
    next_step,
    open_draft,
    unfill,
)
from core.listings.form import BadAnswer
from core.listings.invitations import seller_phone
from core.listings.model import ListingDraft
from core.people.model import Role
from core.phones import example_number

NAME = routes.FORM
_BUTTONS = Buttons(routes.skip, routes.sub_type)


async def start(turn: Turn) -> None:
    """Add a home: carry on a draft left unfinished, or start one; listing needs a proven phone first."""
    if not turn.person.verified:
        await verify.start(turn, then=routes.add())
        return
    draft = await draft_of(turn.session, turn.person.id)
    if draft is not None and (draft.fields or draft.photos):
        turn.ask(
            "listings.form.resume",
            choices=[
                turn.choice(routes.carry_on(), "carry_on"),
                turn.choice(routes.start_again(), "start_again"),
                menu_button(turn),
            ],
            address=address_of(draft).unparsed,
            photos=len(draft.photos or []),
        )
        turn.go(NAME, "resume")
        return
    await ask_next(turn)


async def carry_on(turn: Turn) -> None:
    """Ask the first thing the draft still lacks."""
    await ask_next(turn)


async def start_again(turn: Turn) -> None:
    """Drop the draft and start a new one."""
    await discard_draft(turn.session, turn.person.id)
    await turn.session.flush()
    await ask_next(turn)


async def ask_next(turn: Turn, draft: ListingDraft | None = None) -> None:
    """The next question the draft needs answered, or the summary once it has everything."""
    if draft is None:
        try:
            draft = await open_draft(turn.session, turn.person, turn.now)
        except DomainError as error:
            turn.fail(error.message_key, **error.context)
            show_menu(turn)
            return
    step = next_step(draft)
    later = turn.choice(routes.save_for_later(), "finish_later")
    if step == "address":
        address = address_of(draft)
        step = address_step(address)
        ask(turn, step, _BUTTONS, [later], street=_street(address), city=address.city)
    elif step == "photos":
        photo_intake.ask_photos(turn, len(draft.photos or []), routes.photos_done(), [later])
    elif step is not None:
        ask(turn, step, _BUTTONS, [later], sub_type=(draft.fields or {}).get("property_sub_type"))
    elif turn.person.has_role(Role.BROKER) and SELLER_PHONE not in (draft.fields or {}):
        step = SELLER_PHONE
        turn.ask(
            "listings.form.ask_seller_phone",
            choices=[turn.choice(routes.skip(), "skip"), later],
            example=example_number(turn.setup.region),
        )
    else:
        show_summary(turn, draft)
        return
    turn.go(NAME, step)


def _street(address: Address) -> str | None:
    return " ".join(part for part in (address.street_number, address.street_name) if part) or None


async def on_text(turn: Turn, text: str) -> None:
    """A typed answer: read into the draft, or what was wrong and the question again."""
    step = turn.state.step
    draft = await open_draft(turn.session, turn.person, turn.now)
    try:
        if step in ("address", "street", "city", "postal_code"):
            address = read_address(step, text, address_of(draft))
            fill(draft, turn.now, **asdict(address))
        elif step == SELLER_PHONE:
            fill(draft, turn.now, **{SELLER_PHONE: seller_phone(turn.person, text, turn.setup.region)})
        else:
            fill(draft, turn.now, **read_answer(step, text, draft.fields or {}))
    except (BadAnswer, InvitationRefused) as error:
        turn.fail(error.message_key, **error.context)
    await ask_next(turn, draft)


async def skip(turn: Turn) -> None:
    """Skip leaves out the floor area, the description, or the broker's seller."""
    step = turn.state.step if turn.state.flow == NAME else None
    draft = await open_draft(turn.session, turn.person, turn.now)
    if step in ("living_area", "public_remarks", SELLER_PHONE):
        fill(draft, turn.now, **{step: None})
    await ask_next(turn, draft)


async def pick_sub_type(turn: Turn, name: str) -> None:
    """A sub-type button: read as if typed."""
    draft = await open_draft(turn.session, turn.person, turn.now)
    try:
        fill(draft, turn.now, **read_answer("property_sub_type", name, draft.fields or {}))
    except BadAnswer as error:
        turn.fail(error.message_key, **error.context)
    await ask_next(turn, draft)


async def photos_done(turn: Turn) -> None:
    """Done: the photos sent so far are the listing's, in order."""
    draft = await open_draft(turn.session, turn.person, turn.now)
    fill(draft, turn.now, photos_done=True)
    await ask_next(turn, draft)


async def on_photos_text(turn: Turn, text: str) -> None:
    """At the photos step "done" ends the photos; anything else is told that photos are wanted."""
    if photo_intake.means_done(text):
        await photos_done(turn)
        return
    turn.fail("listings.form.photos_expected")
    await ask_next(turn)


async def on_photo(turn: Turn) -> None:
    """A photo sent to the form: kept on the draft, with how many it has now."""
    draft = await open_draft(turn.session, turn.person, turn.now)
    photos = await photo_intake.take(turn, len(draft.photos or []))
    if photos is None:
        await ask_next(turn, draft)
        return
    count = max((add_photo(draft, photo, turn.now) for photo in photos), default=len(draft.photos or []))
    later = turn.choice(routes.save_for_later(), "finish_later")
    photo_intake.ask_photos(turn, count, routes.photos_done(), [later], kind="photo_added")
    turn.go(NAME, "photos")


async def edit(turn: Turn) -> None:
    """Which part to change, each a button."""
    steps = [*STEPS, *([SELLER_PHONE] if turn.person.has_role(Role.BROKER) else [])]
    choices = [turn.choice(routes.change(step), f"change_{step}") for step in steps]
    turn.ask("listings.form.edit", choices=[*choices, turn.choice(routes.carry_on(), "back")])
    turn.go(NAME, "edit")


async def change(turn: Turn, step: str) -> None:
    """Ask one part again: its answer is forgotten, so it is the first thing the draft lacks."""
    draft = await open_draft(turn.session, turn.person, turn.now)
    if step in STEPS or step == SELLER_PHONE:
        unfill(draft, step, turn.now)
    await ask_next(turn, draft)


async def save_for_later(turn: Turn) -> None:
    """Finish later (or cancel mid-way): the draft is kept for Add a home to carry on."""
    show_menu(turn, "listings.form.saved")


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A form choice no route takes: the next question."""
    await ask_next(turn)


async def _again(turn: Turn) -> None:
    await ask_next(turn)


def _asked_again(step: str) -> Callable[[Turn], Awaitable[None]]:
    """`back` to a question: its answer is forgotten and it is asked again."""

    async def show(turn: Turn) -> None:
        await change(turn, step)

    return show


async def _my_listings(turn: Turn) -> None:
    await resume(turn, routes.show())


def _steps() -> tuple[Step, ...]:
    """The form's order for `back`: the address (in its parts), each question, the summary and Edit."""
    address = _asked_again("address")
    parts = tuple(Step(part, address, back_to="address") for part in ("street", "city", "postal_code"))
    questions = tuple(Step(step, _asked_again(step)) for step in STEPS[1:])
    return (
        Step("resume", start),
        Step("address", address, back_to="resume"),
        *parts,
        *questions,
        Step(SELLER_PHONE, _asked_again(SELLER_PHONE)),
        Step("summary", _again),
        Step("edit", _again, back_to="summary"),
    )


_TEXT_STEPS = ("address", "street", "city", "postal_code", *ANSWERS, SELLER_PHONE)

FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on_bare(routes.add, start),
        on_bare(routes.carry_on, carry_on),
        on_bare(routes.start_again, start_again),
        on(routes.sub_type, pick_sub_type),
        on_bare(routes.skip, skip),
        on_bare(routes.photos_done, photos_done),
        on_bare(routes.publish, publish_it),
        on_bare(routes.edit, edit),
        on(routes.change, change),
        on_bare(routes.drop, drop),
        on_bare(routes.save_for_later, save_for_later),
    ),
    on_text={**{step: on_text for step in _TEXT_STEPS}, "photos": on_photos_text},
    on_media={"photos": on_photo},
    answers={**ANSWERS, SELLER_PHONE: AnswerKind.NUMBER},
    steps=_steps(),
    origin=_my_listings,
    on_cancel=save_for_later,
)
