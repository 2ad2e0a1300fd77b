"""Serving a fake provider's aiohttp app on 127.0.0.1 with an OS-assigned port."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from aiohttp import web


class LocalServer:
    """Async context manager that serves `make_app()` of a subclass on loopback; `base_url` when started."""

    _runner: web.AppRunner | None = None
    _base_url: str | None = None

    def make_app(self) -> web.Application:
        """The app to serve."""
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        """The server root, e.g. http://127.0.0.1:43123 (no trailing slash)."""
        if self._base_url is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._base_url

    async def start(self) -> Self:
        """Start serving on 127.0.0.1 with an OS-assigned port."""
        runner = web.AppRunner(self.make_app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self._base_url = f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        """Stop the server and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._base_url = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()
