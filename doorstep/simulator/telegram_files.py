"""Files people send a bot, as Telegram keeps them: getFile, then /file/bot<token>/<file_path>."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from doorstep.simulator.telegram_objects import ApiError

# Bots may download files of up to 20 MB; getFile refuses bigger ones.
DOWNLOAD_LIMIT = 20 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """A file's bytes, the size getFile states, and its path on the file server (None: not downloadable)."""

    data: bytes
    file_size: int
    file_path: str | None


class TelegramFileStore:
    """Answers getFile for files tests put, and serves them to bots whose token is known."""

    def __init__(self, bots: dict[str, int]) -> None:
        self._bots = bots
        self._files: dict[str, StoredFile] = {}
        self._seq = 0
        self.downloads: list[str] = []
        self.revoked: set[str] = set()

    def add_routes(self, app: web.Application) -> None:
        """The file server: /file/bot<token>/<file_path>."""
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._serve)

    def put(self, data: bytes, *, file_size: int | None = None, downloadable: bool = True) -> str:
        """Keep a file a person sent; returns its file_id. `file_size`: what getFile says, if not its size."""
        self._seq += 1
        file_id = f"AgACAgQAAxkBAAI{self._seq:06d}"
        path = f"photos/file_{self._seq}.jpg" if downloadable else None
        self._files[file_id] = StoredFile(data, len(data) if file_size is None else file_size, path)
        return file_id

    def revoke(self, file_id: str) -> None:
        """Answer sends of this file_id as Telegram does ids of another bot's: 400 wrong file identifier."""
        self.revoked.add(file_id)

    def check_sendable(self, photo: object) -> None:
        """Refuse a send of a revoked file_id as Telegram does."""
        if photo in self.revoked:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def get_file(self, _token: str, params: dict[str, Any]) -> dict[str, Any]:
        """The File object getFile answers with."""
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.file_size > DOWNLOAD_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        file = {"file_id": params["file_id"], "file_unique_id": f"u{params['file_id']}"}
        file["file_size"] = stored.file_size
        if stored.file_path is not None:
            file["file_path"] = stored.file_path
        return file

    async def _serve(self, request: web.Request) -> web.Response:
        path = request.match_info["file_path"]
        found = [f for f in self._files.values() if f.file_path == path]
        if request.match_info["token"] not in self._bots or not found:
            return web.json_response(ApiError(404).payload(), status=404)
        self.downloads.append(path)
        return web.Response(body=found[0].data, content_type="application/octet-stream")
