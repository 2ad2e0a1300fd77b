"""Media of inbound messages as Twilio serves them: behind the account's basic auth, or via a CDN redirect."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass

from aiohttp import web

from doorstep.simulator import twilio_objects as tw
from doorstep.simulator.twilio_objects import API_VERSION, TwilioError

# Where Twilio's MediaUrls point; Doorstep moves them onto TWILIO_API_BASE_URL, as it does API calls.
TWILIO_API = "https://api.twilio.com"
_CHUNK = 16 * 1024


@dataclass(frozen=True)
class Media:
    """One media item: its bytes, the type it is served as, and how it is served."""

    data: bytes
    content_type: str
    redirect: bool | str = False
    chunked: bool = False
    delay: float = 0.0


@dataclass(frozen=True)
class MediaFetch:
    """One request for a media item or its CDN copy, and the status it was answered with."""

    path: str
    status: int
    with_credentials: bool = False


class TwilioMediaStore:
    """Serves media put by tests at Twilio's Media URLs; records every fetch."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.fetches: list[MediaFetch] = []
        self._media: dict[str, Media] = {}
        self._cdn: dict[str, str] = {}

    def add_routes(self, app: web.Application) -> None:
        """The Media resource of a message, and the signed CDN address it may redirect to."""
        path = f"/{API_VERSION}/Accounts/{{account_sid}}/Messages/{{message_sid}}/Media/{{media_sid}}"
        app.router.add_get(path, self._serve_media)
        app.router.add_get("/cdn/{token}", self._serve_cdn)

    def put(
        self,
        data: bytes,
        content_type: str = "image/jpeg",
        *,
        redirect: bool | str = False,
        chunked: bool = False,
        delay: float = 0.0,
    ) -> str:
        """Keep a media item; returns its MediaUrl as Twilio would post it (on api.twilio.com).

        `redirect`: answered with a 307 to a CDN address needing no credentials, as Twilio does (a str is
        the CDN's origin, e.g. the same server by another host name; True: this origin);
        `chunked`: sent without a Content-Length; `delay`: seconds before answering.
        """
        message_sid, media_sid = tw.new_sid("MM"), tw.new_sid("ME")
        self._media[media_sid] = Media(data, content_type, redirect, chunked, delay)
        account = f"{TWILIO_API}/{API_VERSION}/Accounts/{self.account_sid}"
        return f"{account}/Messages/{message_sid}/Media/{media_sid}"

    async def _serve_media(self, request: web.Request) -> web.StreamResponse:
        media = self._media.get(request.match_info["media_sid"])
        try:
            self._authenticate(request)
            if media is None:
                raise TwilioError(20404, f"The requested resource {request.path} was not found")
        except TwilioError as error:
            self.fetches.append(MediaFetch(request.path, error.status, _sent_credentials(request)))
            return web.json_response(error.payload(), status=error.status)
        if media.redirect:
            token = secrets.token_urlsafe(16)
            self._cdn[token] = request.match_info["media_sid"]
            self.fetches.append(MediaFetch(request.path, 307, True))
            origin = media.redirect if isinstance(media.redirect, str) else ""
            # Mounted under a prefix (the demo's /sim/...), the CDN is under it too.
            prefix = request.path.partition(f"/{API_VERSION}/")[0]
            return web.Response(status=307, headers={"Location": f"{origin}{prefix}/cdn/{token}"})
        return await self._send(request, media)

    async def _serve_cdn(self, request: web.Request) -> web.StreamResponse:
        media_sid = self._cdn.get(request.match_info["token"])
        if media_sid is None:
            self.fetches.append(MediaFetch(request.path, 403, _sent_credentials(request)))
            return web.Response(status=403, text="AccessDenied")
        return await self._send(request, self._media[media_sid])

    async def _send(self, request: web.Request, media: Media) -> web.StreamResponse:
        self.fetches.append(MediaFetch(request.path, 200, _sent_credentials(request)))
        if media.delay:
            await asyncio.sleep(media.delay)
        if not media.chunked:
            return web.Response(body=media.data, content_type=media.content_type)
        response = web.StreamResponse(headers={"Content-Type": media.content_type})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(media.data), _CHUNK):
            await response.write(media.data[start : start + _CHUNK])
        await response.write_eof()
        return response

    def _authenticate(self, request: web.Request) -> None:
        username, password = tw.basic_credentials(request.headers.get("Authorization", "")) or ("", "")
        valid_sid = secrets.compare_digest(username.encode(), self.account_sid.encode())
        valid_token = secrets.compare_digest(password.encode(), self.auth_token.encode())
        if not (valid_sid and valid_token and request.match_info["account_sid"] == self.account_sid):
            raise TwilioError(20003)


def _sent_credentials(request: web.Request) -> bool:
    return "Authorization" in request.headers
