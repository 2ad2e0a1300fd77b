"""How replies become Twilio requests on SMS and WhatsApp, and how Twilio's errors are read."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

from bots.channels.base import MalformedPayload, PermanentSendError, TransientSendError
from bots.channels.sms import SmsAdapter
from bots.channels.twilio_inbound import parse_twilio_message
from bots.channels.twilio_sender import classify
from bots.channels.whatsapp import WhatsAppAdapter
from bots.messages import Attachment, Choice, Inbound, Reply, choice_token

WHATSAPP = WhatsAppAdapter(sender=None, from_number="+447700900002", region="GB", rate=10.0)  # type: ignore[arg-type]
SMS = SmsAdapter(sender=None, from_number="+447700900001", region="GB", rate=1.0)  # type: ignore[arg-type]
EXTRA = {"choices_prompt": "Choose an option:", "list_button": "Options"}


def choices(count: int, label: str = "Option") -> tuple[Choice, ...]:
    return tuple(Choice(f"x:{n}", f"{label} {n}") for n in range(1, count + 1))


def test_three_short_choices_are_quick_reply_buttons() -> None:
    [part] = WHATSAPP.render("+447700900123", Reply("k", "Pick one", choices(3), extra=EXTRA))
    assert part.payload == {
        "kind": "quick-reply",
        "to": "+447700900123",
        "body": "Pick one",
        "button": "Options",
        "options": [[f"Option {n}", choice_token(f"x:{n}")] for n in (1, 2, 3)],
    }


def test_four_to_ten_choices_or_long_labels_are_a_list() -> None:
    [four] = WHATSAPP.render("+44", Reply("k", "Pick", choices(4), extra=EXTRA))
    [long] = WHATSAPP.render("+44", Reply("k", "Pick", choices(2, "A label over twenty chars"), extra=EXTRA))
    assert (four.payload["kind"], long.payload["kind"]) == ("list-picker", "list-picker")
    assert long.payload["options"][0][0] == "A label over twenty cha…"


def test_more_than_ten_choices_stay_in_the_text() -> None:
    [part] = WHATSAPP.render("+44", Reply("k", "1 A\n2 B ...", choices(11), extra=EXTRA))
    assert part.payload == {"kind": "text", "to": "+44", "body": "1 A\n2 B ..."}


def test_a_photo_goes_as_media_and_the_buttons_follow_with_a_short_prompt() -> None:
    photo, buttons = WHATSAPP.render(
        "+44", Reply("k", "Flat", choices(2), "https://x.test/p.jpg", extra=EXTRA)
    )
    assert photo.payload == {
        "kind": "text",
        "to": "+44",
        "body": "Flat",
        "media_url": ["https://x.test/p.jpg"],
    }
    assert (buttons.payload["kind"], buttons.payload["body"]) == ("quick-reply", "Choose an option:")


def test_a_body_over_1024_characters_is_sent_before_its_buttons() -> None:
    text, buttons = WHATSAPP.render("+44", Reply("k", "x" * 1025, choices(2), extra=EXTRA))
    assert (len(text.payload["body"]), buttons.payload["body"]) == (1025, "Choose an option:")


def test_sms_counts_segments() -> None:
    [gsm] = SMS.render("+44", Reply("k", "a" * 161))
    [ucs2] = SMS.render("+44", Reply("k", "ü" * 10 + "·"))
    assert (gsm.segments, ucs2.segments) == (2, 1)
    assert gsm.payload == {"to": "+44", "body": "a" * 161}


def test_inbound_numbers_are_e164_and_taps_carry_their_token() -> None:
    form = {
        "MessageSid": "SM1",
        "From": "whatsapp:+44 7700 900123",
        "Body": "Menu",
        "ButtonPayload": "cabc",
        "ProfileName": "Amira",
    }
    assert parse_twilio_message("whatsapp", form, "GB") == Inbound(
        channel="whatsapp",
        address="+447700900123",
        external_id="SM1",
        text="Menu",
        choice_token="cabc",
        display_name="Amira",
    )


@pytest.mark.parametrize(
    "form",
    [
        {"From": "+447700900123"},
        {"MessageSid": "SM1", "From": "not a number"},
        {"MessageSid": "SM1", "From": "+447700900123", "Latitude": "north"},
    ],
)
def test_malformed_inbound_is_refused(form: dict[str, str]) -> None:
    with pytest.raises(MalformedPayload):
        parse_twilio_message("sms", form, "GB")


@pytest.mark.parametrize(
    ("status", "code", "kind", "unreachable", "opted_out"),
    [
        (429, 20429, TransientSendError, None, None),
        (503, 20503, TransientSendError, None, None),
        (400, 21610, PermanentSendError, False, True),
        (400, 21211, PermanentSendError, True, False),
        (400, 21614, PermanentSendError, True, False),
        (400, 21617, PermanentSendError, False, False),
    ],
)
def test_twilio_errors_are_classified(
    status: int, code: int, kind: type, unreachable: bool | None, opted_out: bool | None
) -> None:
    error = classify(TwilioRestException(status, "https://api.twilio.com/x", msg="nope", code=code))
    assert isinstance(error, kind)
    if isinstance(error, PermanentSendError):
        assert (error.unreachable, error.opted_out, error.code) == (unreachable, opted_out, str(code))


ICS = Attachment(
    "viewing.ics", "text/calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "https://x.test/c.ics"
)


def test_an_attachment_goes_as_the_text_messages_media() -> None:
    [part] = WHATSAPP.render("+44", Reply("k", "Booked", attachment=ICS))
    assert part.payload == {
        "kind": "text",
        "to": "+44",
        "body": "Booked",
        "media_url": ["https://x.test/c.ics"],
    }


def test_with_buttons_the_text_carries_the_attachment_and_the_buttons_come_last() -> None:
    text, buttons = WHATSAPP.render("+44", Reply("k", "Booked", choices(2), attachment=ICS, extra=EXTRA))
    assert text.payload == {
        "kind": "text",
        "to": "+44",
        "body": "Booked",
        "media_url": ["https://x.test/c.ics"],
    }
    assert (buttons.payload["kind"], buttons.payload["body"]) == ("quick-reply", "Choose an option:")


def test_beside_a_photo_the_attachment_is_a_message_of_its_own_before_the_buttons() -> None:
    photo = "https://x.test/p.jpg"
    alone = WHATSAPP.render("+44", Reply("k", "Flat", photo_url=photo, attachment=ICS))
    text, document, buttons = WHATSAPP.render(
        "+44", Reply("k", "Flat", choices(4), photo, attachment=ICS, extra=EXTRA)
    )
    expected = {"kind": "text", "to": "+44", "body": "viewing.ics", "media_url": ["https://x.test/c.ics"]}
    assert [part.payload for part in alone] == [text.payload, expected]
    assert (text.payload["media_url"], document.text, document.payload) == ([photo], "viewing.ics", expected)
    assert buttons.payload["kind"] == "list-picker"


def test_sms_sends_no_attachment() -> None:
    assert SMS.render("+44", Reply("k", "Booked", attachment=ICS)) == SMS.render("+44", Reply("k", "Booked"))
