"""Pytest plugin: any socket connection to a non-loopback address fails loudly."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


class ExternalNetworkBlocked(RuntimeError):
    """Raised when a test tries to reach a non-loopback address."""


def _is_local(family: int | None, address: Any) -> bool:
    if family == getattr(socket, "AF_UNIX", None) or isinstance(address, str | bytes):
        return True
    host = str(address[0]).split("%", 1)[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check(family: int | None, address: Any) -> None:
    if not _is_local(family, address):
        raise ExternalNetworkBlocked(
            f"tests must not use the network: connection to {address!r} blocked (only loopback allowed)"
        )


@contextmanager
def blocked_external_network() -> Iterator[None]:
    """Patch socket connects so that only loopback and AF_UNIX connections are possible."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_create_connection = socket.create_connection

    def connect(self: socket.socket, address: Any) -> None:
        _check(self.family, address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check(self.family, address)
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        _check(None, address)
        return real_create_connection(address, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket.socket, "connect_ex", connect_ex)
        patch.setattr(socket, "create_connection", create_connection)
        yield


@pytest.fixture(autouse=True, scope="session")
def _block_external_network() -> Iterator[None]:
    """Fail loudly on any non-loopback connection during the whole test session."""
    with blocked_external_network():
        yield
