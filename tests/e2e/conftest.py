"""Whole conversations also check, when they end, that every choice they were offered has its route."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support import Platform


@pytest.fixture
async def platform(platform: Platform) -> AsyncIterator[Platform]:
    """The shared platform; afterwards, every choice id it offered must parse back through a route."""
    yield platform
    assert await platform.unrouted_choices() == [], "a choice was offered that no route reads back"
