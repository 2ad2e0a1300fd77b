"""A fake RESO feed of N generated records served from its own process, so a benchmark's figures are the
importer's alone: `python -m tests.bench.reso_feed_process N` prints the base URL and serves till killed."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta

from tests.fakes.reso import FakeReso
from tests.fakes.reso_records import make_record

START = datetime(2026, 10, 1, tzinfo=UTC)


async def serve(count: int) -> None:
    """Serve `count` records, one per second of modification time, with the generous caps of big feeds."""
    fake = FakeReso(max_top=1000, page_size=200)
    for n in range(1, count + 1):
        fake.put(make_record(n, START + timedelta(seconds=n)))
    await fake.start()
    print(fake.base_url, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
