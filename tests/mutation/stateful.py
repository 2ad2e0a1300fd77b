"""Hand-made mutants of the stateful rules, each run against the integration and e2e tests that guard it.

Each mutant is one small, realistic defect (a boundary moved, a check skipped on one channel or one
database, a step ignored). The script copies the working tree to a temporary folder, plants one mutant at
a time there, runs the named tests with the project's virtualenv, and reports which mutants the tests
killed. It needs PostgreSQL and Redis like `./dev test`; pass TEST_PG_DATABASE and TEST_REDIS_URL.

    TEST_PG_DATABASE=... TEST_REDIS_URL=... python3 tests/mutation/stateful.py [--tests-at REV] [name ...]

`--tests-at REV` runs the tests as they were at git revision REV, to measure what they caught then.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"


@dataclass(frozen=True)
class Mutant:
    """Replace `old` (which must occur exactly once) by `new` in `path`; `tests` should then fail."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


VIEWINGS = "core/viewings/actions.py"
VIEWING_RULES = "core/viewings/rules.py"
VIEWING_QUERIES = "core/viewings/queries.py"
PLACING = "core/viewings/placing.py"
OFFER_QUERIES = "core/offers/queries.py"
CONCURRENCY = "tests/integration/test_viewing_concurrency.py"
HOLDS = "tests/integration/test_viewing_holds.py"
E2E_VIEWINGS = "tests/e2e/test_viewings.py"
OFFER_RULES = "tests/integration/test_offer_rules.py"
CHANNEL_RULES = "tests/e2e/test_channel_rules.py"
TWILIO_WEBHOOKS = "tests/e2e/test_twilio_webhooks.py"

MUTANTS = [
    Mutant(
        "hold lasts 4 minutes",
        VIEWING_RULES,
        "HOLD = timedelta(minutes=5)",
        "HOLD = timedelta(minutes=4)",
        (E2E_VIEWINGS,),
    ),
    Mutant(
        "a hold blocks at its expiry instant",
        VIEWING_QUERIES,
        "Viewing.hold_expires_at > now)",
        "Viewing.hold_expires_at >= now)",
        (HOLDS, CONCURRENCY),
    ),
    Mutant(
        "a new hold keeps the buyer's other holds",
        VIEWINGS,
        "    await expire_holds(session, now, Viewing.buyer_id == buyer.id)\n",
        "",
        (HOLDS, CONCURRENCY, E2E_VIEWINGS),
    ),
    Mutant(
        "no overlap check before writing (SQLite double-books)",
        PLACING,
        "if clash is not None:",
        "if clash is None and False:",
        (CONCURRENCY,),
    ),
    Mutant(
        "the overlap check ignores the buffer",
        PLACING,
        "                Viewing.blocked_until > start,",
        "                Viewing.ends_at > start,",
        (HOLDS, CONCURRENCY),
    ),
    Mutant(
        "a deadlock between two bookings is not a lost slot",
        PLACING,
        'return getattr(error.orig, "sqlstate", None) == _DEADLOCK_DETECTED',
        "return False",
        (CONCURRENCY,),
    ),
    Mutant(
        "changes made before the savepoint (the autoflush race)",
        PLACING,
        "    await expire_holds(session, now, Viewing.listing_id == listing.id,",
        "    for name, value in changes.items():\n        setattr(viewing, name, value)\n"
        "    await expire_holds(session, now, Viewing.listing_id == listing.id,",
        (CONCURRENCY,),
    ),
    Mutant(
        "confirming declines no clashing request",
        VIEWINGS,
        "Viewing.status == ViewingStatus.PENDING,\n            Viewing.starts_at < viewing.blocked_until,",
        "Viewing.status == ViewingStatus.PROPOSED,\n            Viewing.starts_at < viewing.blocked_until,",
        (CONCURRENCY,),
    ),
    Mutant(
        "the latest offer follows one counter only",
        OFFER_QUERIES,
        "        offer = following",
        "        return following",
        (OFFER_RULES,),
    ),
    Mutant(
        "an offer's history shows the last three offers only",
        OFFER_QUERIES,
        "    while chain[0].answers_id is not None:",
        "    while chain[0].answers_id is not None and len(chain) < 3:",
        (OFFER_RULES,),
    ),
    Mutant(
        "WhatsApp STOP is ignored at delivery",
        "bots/outbound/delivery.py",
        "row.kind, identity.opted_out_at, identity.unreachable_at",
        "row.kind, identity.opted_out_at if row.channel != 'whatsapp' else None, identity.unreachable_at",
        (CHANNEL_RULES,),
    ),
    Mutant(
        "Telegram STOP is ignored at delivery",
        "bots/outbound/delivery.py",
        "row.kind, identity.opted_out_at, identity.unreachable_at",
        "row.kind, identity.opted_out_at if row.channel != 'telegram' else None, identity.unreachable_at",
        (CHANNEL_RULES,),
    ),
    Mutant(
        "STOP opts out on SMS only",
        "bots/dialog/optout.py",
        "if word in (SMS_STOP_WORDS if sms else STOP_WORDS):",
        "if sms and word in SMS_STOP_WORDS:",
        (CHANNEL_RULES,),
    ),
    Mutant(
        "the 24-hour window is not checked",
        "bots/outbound/delivery.py",
        "if reason is None and row.channel == Channel.WHATSAPP:",
        "if reason is None and row.channel == 'whatsapp ':",
        (CHANNEL_RULES,),
    ),
    Mutant(
        "the window runs from the first message, not the last",
        "core/people/actions.py",
        "    identity.last_inbound_at = now\n",
        "    identity.last_inbound_at = identity.last_inbound_at or now\n",
        (CHANNEL_RULES,),
    ),
    Mutant(
        "status reports move a message backwards",
        "core/message_log/outbox.py",
        "target = advance(row.status, reported)",
        'target = advance("sending", reported)',
        (TWILIO_WEBHOOKS,),
    ),
    Mutant(
        "a notice queued twice is sent twice",
        "bots/outbound/notify.py",
        "if identity is None or already is not None:",
        "if identity is None:",
        ("tests/integration/test_notifications.py",),
    ),
]


def copy_tree(target: Path) -> None:
    """The working tree as it is now (tracked and new files, not ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def failure(tree: Path, tests: tuple[str, ...]) -> str | None:
    """None when the tests pass in `tree`, else the first test that failed (or why none ran)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = ["nice", "-n", "10", str(PYTHON), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    run = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    if run.returncode == 0:
        return None
    lines = run.stdout.splitlines()
    return next((line for line in lines if line.startswith(("FAILED", "ERROR"))), (lines or ["?"])[-1])


def tests_at(tree: Path, revision: str) -> None:
    """Replace the copied tests by those of `revision`."""
    shutil.rmtree(tree / "tests")
    archive = subprocess.run(["git", "archive", revision, "tests"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)


def main(args: list[str]) -> int:
    """Plant each mutant (or those named), run its tests, print the kill rate; 1 when any survived."""
    revision = args[args.index("--tests-at") + 1] if "--tests-at" in args else None
    names = [a for a in args if a != "--tests-at" and a != revision]
    chosen = [m for m in MUTANTS if not names or m.name in names]
    with tempfile.TemporaryDirectory(prefix="doorstep-mutants-") as folder:
        tree = Path(folder)
        copy_tree(tree)
        if revision is not None:
            tests_at(tree, revision)
        survived = []
        for mutant in chosen:
            path = tree / mutant.path
            original = path.read_text()
            if original.count(mutant.old) != 1:
                raise SystemExit(f"{mutant.name}: the text to replace is not in {mutant.path} exactly once")
            mutated = original.replace(mutant.old, mutant.new)
            compile(mutated, mutant.path, "exec")  # a mutant that does not compile would be a false kill
            path.write_text(mutated)
            began = time.monotonic()
            failed = failure(tree, mutant.tests)
            path.write_text(original)
            print(f"{'killed  ' if failed else 'SURVIVED'} {time.monotonic() - began:5.0f}s  {mutant.name}")
            if failed:
                print(f"             by {failed}")
            else:
                survived.append(mutant.name)
    caught = len(chosen) - len(survived)
    print(f"{caught} of {len(chosen)} killed ({100 * caught / max(len(chosen), 1):.0f}%)")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
