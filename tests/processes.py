"""Real processes for failure tests: private Redis and PostgreSQL servers to kill, and doorstep itself."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import redis

DOORSTEP = str(Path(sys.executable).with_name("doorstep"))


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: object, timeout: float, what: str) -> None:
    """Poll `check()` until it is true, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except Exception:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout} s")


class RedisServer:
    """A redis-server of the test's own on a free port, keeping nothing on disk, to kill at will."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start (or start again) on the same port."""
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self._process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        wait_until(client.ping, 10, "redis-server start")
        client.close()

    def kill(self) -> None:
        """SIGKILL: every queue and lock it held is gone, as in a crash."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def stop(self) -> None:
        """Stop it at the end of the test."""
        self.kill()


class PostgresServer:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder), to restart at will."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="doorstep-pg-"))
        self.data = self.folder / "data"
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"
        self._bin = _postgres_bin()

    def init(self) -> None:
        """Create the cluster (as the postgres user when running as root, as initdb demands)."""
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def start(self) -> None:
        """Start, listening on loopback only."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop; `immediate` is a crash-like stop that needs recovery at the next start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop", check=False)

    def remove(self) -> None:
        """Stop it for good and delete its files."""
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        command = [str(self._bin / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL's server binaries are needed in /usr/lib/postgresql/*/bin")
    return versions[-1]


class Doorstep:
    """One `doorstep` command running as a real process, its output kept in a log file."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str], log: Path) -> None:
        self.log = log
        self._handle = log.open("wb")
        self.process = subprocess.Popen(
            [DOORSTEP, *args],
            env={**os.environ, **env},
            stdout=self._handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        """The process id."""
        return self.process.pid

    def children(self) -> list[int]:
        """Process ids whose parent is this process."""
        return children_of(self.pid)

    def kill(self) -> None:
        """SIGKILL this process alone (its children are left to notice)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, then wait; returns the exit status (SIGKILL if it would not stop)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._handle.close()
        return self.process.returncode

    def output(self) -> str:
        """What the process has logged so far."""
        if not self._handle.closed:
            self._handle.flush()
        return self.log.read_text(errors="replace")


def children_of(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
