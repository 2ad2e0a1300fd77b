"""One turn of a conversation: what the flows see and the replies they produce."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bots.channels.text_limits import SMS_TEXT_AIM
from bots.dialog.choices import answers_of
from bots.dialog.detours import Detour, kept, stack_of, with_stack
from bots.messages import Attachment, Choice, Inbound, Reply, web_photo
from bots.notice import Notice
from bots.photos import NoPhotos, PhotoSource
from bots.texts import Texts
from core.dialog_state import DialogState
from core.people.model import Channel, ChannelIdentity, Person


@dataclass(frozen=True)
class Setup:
    """What the deployment gives every turn: the channels we can send on, the phone region, the OTP key."""

    channels: frozenset[str] = frozenset()
    region: str = "GB"
    otp_secret: bytes = b""
    public_base_url: str = ""
    photos: PhotoSource = field(default_factory=NoPhotos)


async def _no_flows(_turn: Turn, _choice_id: str) -> bool:
    return False


@dataclass
class Turn:
    """The person, their dialog state and a reply list, for flows to read and extend."""

    session: AsyncSession
    person: Person
    identity: ChannelIdentity
    state: DialogState
    inbound: Inbound
    texts: Texts
    now: datetime
    setup: Setup = field(default_factory=Setup)
    replies: list[Reply] = field(default_factory=list)
    elsewhere: list[tuple[ChannelIdentity, Reply]] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    asked: Reply | None = None
    problem: tuple[str, bool, dict[str, Any]] | None = None
    router: Callable[[Turn, str], Awaitable[bool]] = _no_flows

    @property
    def locale(self) -> str:
        """The person's locale."""
        return self.person.locale

    @property
    def channel(self) -> str:
        """The channel this turn arrived on and is answered on."""
        return self.identity.channel

    @property
    def data(self) -> dict[str, Any]:
        """A copy of what the current flow has collected; write back with `go`."""
        return dict(self.state.data or {})

    def choice(self, choice_id: str, label_key: str, *, number: int | None = None, **params: Any) -> Choice:
        """A choice with its label in the person's language; `number` is the item number shown beside it."""
        label = self.texts.label(label_key, locale=self.locale, **params)
        return Choice(choice_id, label, number, answers_of(label_key))

    def render(self, kind: str, **context: Any) -> str:
        """Render a template for this person and channel."""
        return self.texts.render(kind, locale=self.locale, channel=self.channel, **context)

    def say(
        self,
        kind: str,
        *,
        choices: Sequence[Choice] = (),
        photo_url: str | None = None,
        important: bool = False,
        request_contact: str | None = None,
        **context: Any,
    ) -> None:
        """Send a statement, with its choices laid out as the channel needs."""
        self.flush_problem()
        self.replies.append(
            build_reply(
                self.texts,
                kind,
                locale=self.locale,
                channel=self.channel,
                choices=choices,
                photo_url=photo_url,
                important=important,
                request_contact=request_contact,
                **context,
            )
        )

    def send_to(self, identity: ChannelIdentity, kind: str, *, meta: dict[str, Any], **context: Any) -> None:
        """Send a message to another address of the person's (a code to the phone they typed)."""
        reply = build_reply(self.texts, kind, locale=self.locale, channel=identity.channel, **context)
        self.elsewhere.append((identity, replace(reply, meta=meta)))

    def ask(
        self,
        kind: str,
        *,
        choices: Sequence[Choice] = (),
        photo_url: str | None = None,
        request_contact: str | None = None,
        **context: Any,
    ) -> None:
        """Send a question; its choices are what the next message is matched against.

        After `fail`, the message says what was wrong, with this question's choices under it.
        """
        question = build_reply(
            self.texts,
            kind,
            locale=self.locale,
            channel=self.channel,
            choices=choices,
            photo_url=photo_url,
            request_contact=request_contact,
            **context,
        )
        if self.problem is None:
            self.replies.append(question)
        else:
            problem, self.problem = self.problem, None
            self._ask_after(problem, question)
        self.asked = question

    def _ask_after(self, problem: tuple[str, bool, dict[str, Any]], question: Reply) -> None:
        """What was wrong with the question's choices, or above its screen (apart, if an SMS runs over)."""
        kind, on_screen, details = problem
        if not on_screen:
            self.say(kind, choices=question.choices, request_contact=question.request_contact, **details)
            return
        joined = f"{self.render(kind, **details)}\n\n{question.text}"
        if self.channel == Channel.SMS and len(joined) > SMS_TEXT_AIM:
            self.say(kind, **details)
            self.replies.append(question)
        else:
            self.replies.append(replace(question, text=joined))

    def fail(self, kind: str, *, on_screen: bool = False, **context: Any) -> None:
        """Say what was wrong, in one message with the choices of the question asked next.

        `on_screen` puts it above that next screen's own text, for a screen that shows something new (a list
        that changed); otherwise the choices go under it alone, as the question has been seen.
        """
        self.flush_problem()
        self.problem = (kind, on_screen, context)

    def flush_problem(self) -> None:
        """Send a pending `fail` on its own, when no question follows it."""
        if self.problem is not None:
            (kind, _, context), self.problem = self.problem, None
            self.say(kind, **context)

    def notify(self, notice: Notice) -> None:
        """Tell someone else (the other side of a viewing or offer), once this turn is saved."""
        if notice.person_id != self.person.id:
            self.notices.append(notice)

    def go(self, flow: str, step: str, *, on_detour: bool = False, **data: Any) -> None:
        """Move to a flow's step, replacing the collected data.

        The move leaves every detour under way, unless `on_detour` says the step carries on the detour
        `flow` is on.
        """
        stack = kept(stack_of(self.state.data), flow) if on_detour else []
        self.state.flow, self.state.step = flow, step
        self.state.data = with_stack(data, stack)

    async def run_choice(self, choice_id: str) -> bool:
        """Act on a choice id as if it had been tapped; False when no flow takes it."""
        return await self.router(self, choice_id)

    def detour(self, flow: str, then: str) -> None:
        """Take the person aside into `flow`; when it ends, the choice `then` carries on."""
        stack = [*stack_of(self.state.data), Detour(flow, then)]
        self.state.data = with_stack(self.state.data or {}, stack)

    def end_detour(self) -> str | None:
        """End the detour the current flow is on: the choice id that carries on, or None if it is on none."""
        stack = stack_of(self.state.data)
        if not stack or stack[-1].flow != self.state.flow:
            return None
        self.state.data = with_stack(self.state.data or {}, stack[:-1])
        return stack[-1].then

    def leave_detours(self) -> None:
        """Forget every detour under way (cancel, menu)."""
        self.state.data = with_stack(self.state.data or {}, [])


def build_reply(
    texts: Texts,
    kind: str,
    *,
    locale: str,
    channel: str,
    choices: Sequence[Choice] = (),
    photo_url: str | None = None,
    important: bool = False,
    request_contact: str | None = None,
    attachment: Attachment | None = None,
    **context: Any,
) -> Reply:
    """A message rendered for one locale and channel, with its choices laid out as the channel needs."""
    text = texts.compose(
        kind, locale=locale, channel=channel, choices=choices, photo_url=photo_url, **context
    )
    extra = (
        {
            "choices_prompt": texts.label("choose", locale=locale),
            "list_button": texts.label("list_button", locale=locale),
        }
        if choices
        else {}
    )
    if important and channel != "sms":
        # If this channel fails, the message may go by SMS instead, which lists the choices in the text.
        extra["sms_text"] = texts.compose(
            kind, locale=locale, channel="sms", choices=choices, photo_url=web_photo(photo_url), **context
        )
    return Reply(
        kind,
        text,
        tuple(choices),
        photo_url,
        important,
        extra,
        request_contact=request_contact,
        attachment=attachment,
    )
