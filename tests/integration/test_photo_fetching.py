"""Photos people send, fetched over HTTP from the fake Twilio and Telegram: what is taken and what refused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bots.channels.photos import ChannelPhotos
from bots.channels.telegram import TelegramAdapter
from bots.channels.telegram_files import TelegramFiles
from bots.channels.twilio_media import TwilioMedia
from bots.messages import Inbound
from bots.photos import PhotoRefused, ReceivedPhoto
from core.listings.photos import MAX_PHOTO_BYTES
from doorstep.demo import SIMULATED_TWILIO
from doorstep.simulator.twilio_media import TWILIO_API
from tests.fakes.server import LocalServer
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from tests.support import PHONE, Platform

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"j" * 200
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"p" * 200
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"w" * 200
PDF = b"%PDF-1.7\n" + b"d" * 200
GIF = b"GIF89a\x01\x00\x01\x00" + b"g" * 200
TEXT = b"Not a photo, just words about a lovely garden.\n"
LIMIT = 1000


def _sized(size: int) -> bytes:
    """A JPEG of exactly `size` bytes."""
    return JPEG[:12] + b"x" * (size - 12)


@pytest.fixture
async def twilio_media(fake_twilio: FakeTwilio) -> AsyncIterator[TwilioMedia]:
    """Fetching from the fake Twilio with the account's credentials and a limit of LIMIT bytes."""
    media = TwilioMedia(fake_twilio.account_sid, fake_twilio.auth_token, fake_twilio.base_url, limit=LIMIT)
    yield media
    await media.aclose()


@pytest.fixture
async def telegram_adapter(fake_telegram: FakeTelegram) -> AsyncIterator[TelegramAdapter]:
    """The bot of the fake Telegram."""
    adapter = TelegramAdapter(fake_telegram.token, fake_telegram.base_url)
    yield adapter
    await adapter.aclose()


async def _refusal(fetching: object) -> str:
    with pytest.raises(PhotoRefused) as refused:
        await fetching  # type: ignore[misc]
    return refused.value.reason


# ----- Twilio -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"), [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")]
)
async def test_twilio_photos_are_taken_with_their_type(
    fake_twilio: FakeTwilio, twilio_media: TwilioMedia, data: bytes, content_type: str
) -> None:
    url = fake_twilio.emulator.put_media(data, content_type)
    assert url.startswith(f"{TWILIO_API}/2010-04-01/Accounts/{fake_twilio.account_sid}/Messages/MM")
    assert await twilio_media.fetch(url, content_type) == ReceivedPhoto(data, content_type, None)


@pytest.mark.parametrize("data", [PDF, GIF, TEXT])
async def test_twilio_files_said_to_be_images_are_read_and_refused(
    fake_twilio: FakeTwilio, twilio_media: TwilioMedia, data: bytes
) -> None:
    url = fake_twilio.emulator.put_media(data, "image/jpeg")
    assert await _refusal(twilio_media.fetch(url, "image/jpeg")) == "not_image"
    assert [fetch.status for fetch in fake_twilio.emulator.media.fetches] == [200]


@pytest.mark.parametrize(
    ("data", "content_type"), [(PDF, "application/pdf"), (TEXT, "text/plain"), (JPEG, "video/mp4")]
)
async def test_twilio_media_of_another_type_are_refused_without_fetching(
    fake_twilio: FakeTwilio, twilio_media: TwilioMedia, data: bytes, content_type: str
) -> None:
    url = fake_twilio.emulator.put_media(data, content_type)
    assert await _refusal(twilio_media.fetch(url, content_type)) == "not_image"
    assert fake_twilio.emulator.media.fetches == []


async def test_a_gif_is_refused_by_its_bytes(fake_twilio: FakeTwilio, twilio_media: TwilioMedia) -> None:
    url = fake_twilio.emulator.put_media(GIF, "image/gif")
    assert await _refusal(twilio_media.fetch(url, "image/gif")) == "not_image"


async def test_twilio_media_need_the_account_credentials(fake_twilio: FakeTwilio) -> None:
    url = fake_twilio.emulator.put_media(JPEG)
    local = url.replace(TWILIO_API, fake_twilio.base_url)
    async with aiohttp.ClientSession() as session, session.get(local) as anonymous:
        assert anonymous.status == 401
    wrong = TwilioMedia(fake_twilio.account_sid, "not-the-token", fake_twilio.base_url)
    try:
        assert await _refusal(wrong.fetch(url, "image/jpeg")) == "unreachable"
    finally:
        await wrong.aclose()
    assert [fetch.status for fetch in fake_twilio.emulator.media.fetches] == [401, 401]


async def test_the_redirect_to_twilios_cdn_is_followed(
    fake_twilio: FakeTwilio, twilio_media: TwilioMedia
) -> None:
    url = fake_twilio.emulator.put_media(PNG, "image/png", redirect=True)
    assert await twilio_media.fetch(url, "image/png") == ReceivedPhoto(PNG, "image/png")
    [asked, served] = fake_twilio.emulator.media.fetches
    assert (asked.status, served.status) == (307, 200)
    assert served.path.startswith("/cdn/")
    assert served.with_credentials  # the same origin: aiohttp keeps them


async def test_the_credentials_go_to_twilio_only(fake_twilio: FakeTwilio, twilio_media: TwilioMedia) -> None:
    cdn = fake_twilio.base_url.replace("127.0.0.1", "localhost")
    url = fake_twilio.emulator.put_media(JPEG, redirect=cdn)
    assert await twilio_media.fetch(url) == ReceivedPhoto(JPEG, "image/jpeg")
    [asked, served] = fake_twilio.emulator.media.fetches
    assert (asked.status, asked.with_credentials) == (307, True)
    assert (served.status, served.with_credentials) == (200, False)


class _Mounted(LocalServer):
    """The Twilio emulator under a prefix, as the demo serves it beside Doorstep."""

    def __init__(self, twilio: FakeTwilio) -> None:
        self.twilio = twilio

    def make_app(self) -> web.Application:
        app = web.Application()
        app.add_subapp(SIMULATED_TWILIO, self.twilio.make_app())
        return app


async def test_media_of_the_demos_twilio_are_fetched_under_its_prefix(fake_twilio: FakeTwilio) -> None:
    async with _Mounted(fake_twilio) as demo:
        base = demo.base_url + SIMULATED_TWILIO
        media = TwilioMedia(fake_twilio.account_sid, fake_twilio.auth_token, base)
        try:
            url = fake_twilio.emulator.put_media(WEBP, "image/webp", redirect=True)
            assert await media.fetch(url, "image/webp") == ReceivedPhoto(WEBP, "image/webp")
        finally:
            await media.aclose()
    [asked, served] = fake_twilio.emulator.media.fetches
    assert (asked.status, served.status) == (307, 200)


@pytest.mark.parametrize("chunked", [False, True])
async def test_the_size_limit_holds_at_its_boundary(
    fake_twilio: FakeTwilio, twilio_media: TwilioMedia, chunked: bool
) -> None:
    at_limit = fake_twilio.emulator.put_media(_sized(LIMIT), chunked=chunked)
    over = fake_twilio.emulator.put_media(_sized(LIMIT + 1), chunked=chunked)
    assert (await twilio_media.fetch(at_limit)).data == _sized(LIMIT)
    assert await _refusal(twilio_media.fetch(over)) == "too_large"


async def test_a_redirected_photo_over_the_limit_is_too_large(
    fake_twilio: FakeTwilio, twilio_media: TwilioMedia
) -> None:
    url = fake_twilio.emulator.put_media(_sized(LIMIT + 1), redirect=True, chunked=True)
    assert await _refusal(twilio_media.fetch(url)) == "too_large"


def test_the_default_limit_is_ten_megabytes() -> None:
    assert MAX_PHOTO_BYTES == 10 * 1024 * 1024


async def test_missing_slow_and_foreign_media_are_unreachable(fake_twilio: FakeTwilio) -> None:
    emulator = fake_twilio.emulator
    media = TwilioMedia(fake_twilio.account_sid, fake_twilio.auth_token, fake_twilio.base_url, timeout=0.3)
    try:
        gone = emulator.put_media(JPEG).rsplit("/", 1)[0] + "/ME" + "0" * 32
        assert await _refusal(media.fetch(gone)) == "unreachable"
        assert await _refusal(media.fetch(emulator.put_media(JPEG, delay=2))) == "unreachable"
        assert await _refusal(media.fetch("https://example.com/photo.jpg")) == "unreachable"
    finally:
        await media.aclose()
    assert [fetch.status for fetch in emulator.media.fetches] == [404, 200]


async def test_a_twilio_that_is_down_is_unreachable(fake_twilio: FakeTwilio) -> None:
    url = fake_twilio.emulator.put_media(JPEG)
    base = fake_twilio.base_url
    await fake_twilio.stop()
    media = TwilioMedia(fake_twilio.account_sid, fake_twilio.auth_token, base)
    try:
        assert await _refusal(media.fetch(url)) == "unreachable"
    finally:
        await media.aclose()


# ----- Telegram -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"), [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")]
)
async def test_telegram_photos_are_taken_keeping_their_file_id(
    fake_telegram: FakeTelegram, telegram_adapter: TelegramAdapter, data: bytes, content_type: str
) -> None:
    file_id = fake_telegram.emulator.put_file(data)
    photo = await TelegramFiles(telegram_adapter).fetch(file_id)
    assert photo == ReceivedPhoto(data, content_type, file_id)
    assert [call.method for call in fake_telegram.emulator.calls] == ["getFile"]
    assert fake_telegram.emulator.files.downloads == ["photos/file_1.jpg"]


@pytest.mark.parametrize("data", [PDF, GIF, TEXT])
async def test_telegram_files_that_are_not_photos_are_refused(
    fake_telegram: FakeTelegram, telegram_adapter: TelegramAdapter, data: bytes
) -> None:
    file_id = fake_telegram.emulator.put_file(data)
    assert await _refusal(TelegramFiles(telegram_adapter).fetch(file_id)) == "not_image"


async def test_telegram_size_limit_at_its_boundary(
    fake_telegram: FakeTelegram, telegram_adapter: TelegramAdapter
) -> None:
    files = TelegramFiles(telegram_adapter, limit=LIMIT)
    at_limit = fake_telegram.emulator.put_file(_sized(LIMIT))
    assert (await files.fetch(at_limit)).data == _sized(LIMIT)
    over = fake_telegram.emulator.put_file(_sized(LIMIT + 1))
    assert await _refusal(files.fetch(over)) == "too_large"
    assert fake_telegram.emulator.files.downloads == ["photos/file_1.jpg"]


async def test_telegram_bytes_over_the_limit_are_refused_when_getfile_understates(
    fake_telegram: FakeTelegram, telegram_adapter: TelegramAdapter
) -> None:
    over = fake_telegram.emulator.put_file(_sized(LIMIT + 1), file_size=10)
    assert await _refusal(TelegramFiles(telegram_adapter, limit=LIMIT).fetch(over)) == "too_large"


async def test_a_file_telegram_will_not_hand_a_bot_is_too_large(
    fake_telegram: FakeTelegram, telegram_adapter: TelegramAdapter
) -> None:
    huge = fake_telegram.emulator.put_file(JPEG, file_size=25 * 1024 * 1024)
    assert await _refusal(TelegramFiles(telegram_adapter).fetch(huge)) == "too_large"
    assert fake_telegram.emulator.files.downloads == []


async def test_unknown_and_undownloadable_telegram_files_are_unreachable(
    fake_telegram: FakeTelegram, telegram_adapter: TelegramAdapter
) -> None:
    files = TelegramFiles(telegram_adapter)
    assert await _refusal(files.fetch("AgAC-no-such-file")) == "unreachable"
    pathless = fake_telegram.emulator.put_file(JPEG, downloadable=False)
    assert await _refusal(files.fetch(pathless)) == "unreachable"


# ----- one source for every channel ---------------------------------------------------------------------


async def test_channel_photos_fetch_each_channel_its_own_way(
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    telegram_adapter: TelegramAdapter,
    twilio_media: TwilioMedia,
) -> None:
    photos = ChannelPhotos(TelegramFiles(telegram_adapter), twilio_media)
    file_id = fake_telegram.emulator.put_file(PNG)
    on_telegram = Inbound("telegram", "5512347788", "1:1", media_kind="photo", media_ids=(file_id,))
    assert await photos.fetch(on_telegram) == [ReceivedPhoto(PNG, "image/png", file_id)]
    urls = (fake_twilio.emulator.put_media(JPEG), fake_twilio.emulator.put_media(WEBP, "image/webp"))
    on_whatsapp = Inbound(
        "whatsapp", "+447700900123", "SM1", media_kind="photo", media_urls=urls, media_types=("image/jpeg",)
    )
    assert await photos.fetch(on_whatsapp) == [
        ReceivedPhoto(JPEG, "image/jpeg"),
        ReceivedPhoto(WEBP, "image/webp"),
    ]


async def test_the_photos_beside_a_refused_one_are_kept(
    fake_twilio: FakeTwilio, twilio_media: TwilioMedia
) -> None:
    emulator = fake_twilio.emulator
    items = [
        (emulator.put_media(JPEG), "image/jpeg"),
        (emulator.put_media(_sized(LIMIT + 1)), "image/jpeg"),
        (emulator.put_media(PDF, "application/pdf"), "application/pdf"),
        (emulator.put_media(PNG, "image/png"), "image/png"),
    ]
    urls, types = zip(*items, strict=True)
    inbound = Inbound("whatsapp", PHONE, "SM1", media_kind="photo", media_urls=urls, media_types=types)
    with pytest.raises(PhotoRefused) as refused:
        await ChannelPhotos(twilio=twilio_media).fetch(inbound)
    assert refused.value.reason == "too_large"
    assert refused.value.taken == (ReceivedPhoto(JPEG, "image/jpeg"), ReceivedPhoto(PNG, "image/png"))


@pytest.mark.parametrize("channel", ["telegram", "sms", "whatsapp"])
async def test_what_carries_no_photo(channel: str) -> None:
    photos = ChannelPhotos()
    assert await photos.fetch(Inbound(channel, "+447700900123", "x", text="Leeds")) == []
    voice = Inbound(channel, "+447700900123", "x", media_kind="voice")
    assert await _refusal(photos.fetch(voice)) == "not_image"


async def test_a_channel_without_credentials_cannot_fetch() -> None:
    photos = ChannelPhotos()
    on_telegram = Inbound("telegram", "5512347788", "1:1", media_kind="photo", media_ids=("AgAC",))
    on_sms = Inbound("sms", "+447700900123", "SM1", media_kind="photo", media_urls=(f"{TWILIO_API}/x",))
    assert await _refusal(photos.fetch(on_telegram)) == "unreachable"
    assert await _refusal(photos.fetch(on_sms)) == "unreachable"


async def test_every_turn_gets_the_deployments_photo_source(
    platform: Platform, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio
) -> None:
    runtime = platform.runtime
    adapters = runtime.adapters()
    photos = runtime.photos(adapters)
    try:
        setup = runtime.conversations(platform.sessions, adapters, photos).setup()
        file_id = fake_telegram.emulator.put_file(JPEG)
        on_telegram = Inbound("telegram", "5512347788", "1:1", media_kind="photo", media_ids=(file_id,))
        assert await setup.photos.fetch(on_telegram) == [ReceivedPhoto(JPEG, "image/jpeg", file_id)]
        url = fake_twilio.emulator.put_media(PNG, "image/png", redirect=True)
        on_sms = Inbound("sms", PHONE, "SM1", media_urls=(url,), media_types=("image/png",))
        assert await setup.photos.fetch(on_sms) == [ReceivedPhoto(PNG, "image/png")]
    finally:
        await photos.aclose()
        for adapter in adapters.values():
            await adapter.aclose()
