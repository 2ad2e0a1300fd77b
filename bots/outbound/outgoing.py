"""Replies into outbox rows: one row per part the channel sends, with what delivery needs beside it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bots.channels.base import ChannelAdapter
from bots.messages import Reply
from bots.outbound.fallback import reply_record
from core.message_log import outbox
from core.message_log.model import OutboxMessage
from core.people.model import ChannelIdentity


def queue_replies(
    session: AsyncSession,
    adapter: ChannelAdapter,
    identity: ChannelIdentity,
    replies: Sequence[Reply],
    *,
    locale: str,
    now: datetime,
    dedupe_prefix: str,
    inbound_id: int | None = None,
    not_before: datetime | None = None,
) -> list[OutboxMessage]:
    """Queue the replies to `identity` in order; each row's dedupe key is `{dedupe_prefix}:{n}`."""
    parts = [(reply, part) for reply in replies for part in adapter.render(identity.address, reply)]
    return [
        outbox.add(
            session,
            identity,
            kind=reply.kind,
            locale=locale,
            text=part.text,
            payload=_payload(reply, part.payload),
            segments=part.segments,
            now=now,
            important=reply.important,
            dedupe_key=f"{dedupe_prefix}:{n}",
            inbound_id=inbound_id,
            not_before=not_before,
        )
        for n, (reply, part) in enumerate(parts)
    ]


def _payload(reply: Reply, rendered: dict[str, Any]) -> dict[str, Any]:
    """The channel request, with the reply's delivery notes and, when important, the reply itself."""
    payload = {**rendered, **reply.meta}
    return {**payload, "_reply": reply_record(reply)} if reply.important else payload
