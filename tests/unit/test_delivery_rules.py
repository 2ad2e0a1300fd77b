"""Delivery rules without a database: opt-outs and unreachable addresses, WhatsApp's 24-hour window at its
edge, and provider status reports moving a message forward only, checked step by step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.message_log.delivery_rules import advance, refusal, whatsapp_window_open

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
ORDER = ["pending", "sending", "sent", "delivered", "read"]


@pytest.mark.parametrize("kind", ["viewings.confirmed", "offers.countered", "menu", "otp.code"])
def test_nothing_but_the_opt_out_confirmation_goes_to_an_opted_out_address(kind: str) -> None:
    assert refusal(kind, NOW, None, None) == "the recipient opted out (STOP) on this channel"
    assert refusal("optout.confirmed", NOW, None, None) is None


def test_an_unreachable_address_gets_nothing_and_the_reason_is_kept() -> None:
    assert refusal("menu", None, NOW, "blocked the bot") == "recipient unreachable: blocked the bot"
    assert refusal("optout.confirmed", NOW, NOW, "21211") == "recipient unreachable: 21211"
    assert refusal("menu", None, None, "stale reason") is None


@pytest.mark.parametrize(
    ("ago", "open_"),
    [
        (timedelta(hours=24) - timedelta(seconds=1), True),
        (timedelta(hours=24), False),
        (timedelta(hours=25), False),
    ],
)
def test_whatsapp_free_text_only_within_24_hours_of_the_last_message(ago: timedelta, open_: bool) -> None:
    assert whatsapp_window_open(NOW - ago, NOW) is open_


def test_whatsapp_window_is_closed_for_someone_who_never_wrote() -> None:
    assert whatsapp_window_open(None, NOW) is False


@pytest.mark.parametrize(
    ("reported", "status"),
    [("accepted", "sent"), ("queued", "sent"), ("sending", "sent"), ("sent", "sent"), ("SENT", "sent")],
)
def test_every_early_provider_status_means_sent(reported: str, status: str) -> None:
    assert advance("sending", reported) == status


def test_a_message_moves_forward_one_report_at_a_time_and_never_back() -> None:
    status = "sending"
    steps = []
    for reported in ["sent", "delivered", "sent", "queued", "read", "delivered", "failed", "undelivered"]:
        status = advance(status, reported) or status
        steps.append(status)
    assert steps == ["sent", "delivered", "delivered", "delivered", "read", "read", "read", "read"]


@pytest.mark.parametrize("current", ["pending", "sending", "sent"])
@pytest.mark.parametrize(("reported", "status"), [("failed", "failed"), ("undelivered", "undeliverable")])
def test_a_message_not_yet_delivered_can_still_fail(current: str, reported: str, status: str) -> None:
    assert advance(current, reported) == status


@pytest.mark.parametrize("current", ["delivered", "read", "failed", "undeliverable"])
@pytest.mark.parametrize("reported", ["failed", "undelivered"])
def test_a_delivered_or_finished_message_does_not_fail_afterwards(current: str, reported: str) -> None:
    assert advance(current, reported) is None


@pytest.mark.parametrize("current", ORDER)
def test_each_status_moves_only_to_a_later_one(current: str) -> None:
    later = {"sent": "sent", "delivered": "delivered", "read": "read"}
    moves = {reported: advance(current, reported) for reported in later}
    rank = ORDER.index(current)
    assert moves == {r: (s if ORDER.index(s) > rank else None) for r, s in later.items()}


def test_an_unknown_report_moves_nothing() -> None:
    assert advance("sending", "receiving") is None
    assert advance("sending", "") is None
