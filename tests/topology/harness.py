"""The Procfile's processes on a private PostgreSQL and Redis, for tests/topology and
bench/fanout.py.

The servers are started here, in a temporary folder on free ports (PostgreSQL as the
``postgres`` user when this runs as root, since initdb refuses root), so a test may
stop and restart them; the machine's own PostgreSQL and Redis are never touched.
Each Procfile process is started from its Procfile line (``exec`` so that its pid is
the Python process's, for ``kill -9``) with its own log file.
"""

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from honcho.environ import parse_procfile

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def servers_available() -> bool:
    return postgres_bin() is not None and shutil.which("redis-server") is not None


class PrivatePostgres:
    """initdb in a temporary folder, ``pg_ctl`` start/stop/restart on a free port."""

    def __init__(self, folder: Path):
        self.bin = postgres_bin()
        self.folder = folder / "pg"
        self.data = self.folder / "data"
        self.port = free_port()
        self.folder.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres"]
                + ["-A", "trust", "-E", "UTF8", "--no-sync"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def _ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        subprocess.run(
            _as_postgres(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60"]
                + ["-o", options, "-l", str(self.folder / "log"), *args]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def url(self, name: str = "portal") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str = "portal") -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


class PrivateRedis:
    """``redis-server`` on a free port, nothing saved; stop and start it again."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@dataclass
class Process:
    name: str
    command: str
    popen: subprocess.Popen
    log: Path
    port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def procfile() -> dict[str, str]:
    return parse_procfile((ROOT / "Procfile").read_text()).processes


@dataclass
class Topology:
    """Private servers, an environment for the processes, and the processes."""

    folder: Path
    env: dict
    postgres: PrivatePostgres
    redis: PrivateRedis
    processes: dict[str, Process] = field(default_factory=dict)

    @classmethod
    def create(cls, extra_env: dict | None = None) -> "Topology":
        folder = Path(tempfile.mkdtemp(prefix="topology-"))
        os.chmod(folder, 0o755)
        postgres = PrivatePostgres(folder)
        postgres.start()
        postgres.create_database()
        redis = PrivateRedis(folder)
        redis.start()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="tests.topology.settings",
            SECRET_KEY="topology-test-only-" + "x" * 40,
            DATABASE_URL=postgres.url(),
            REDIS_URL=redis.url,
            DATABASE_POOL_SIZE="8",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            PATH=f"{ROOT / '.venv' / 'bin'}:{Path(sys.executable).parent}:"
            + env.get("PATH", ""),
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
            LOG_FORMAT="json",
            **(extra_env or {}),
        )
        return cls(folder, env, postgres, redis)

    def manage(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {args} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def script(self, *args: str, timeout: float = 600) -> str:
        """``python -m tests.topology.world …`` in the topology's database."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.topology.world", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"world {args} failed:\n{done.stderr[-3000:]}")
        return done.stdout.strip().splitlines()[-1]

    def start(self, kind: str, name: str | None = None, **env) -> Process:
        """Start one process of the Procfile's ``kind`` (web gets a free PORT)."""
        command = procfile()[kind]
        name = name or f"{kind}.{sum(p.startswith(kind) for p in self.processes) + 1}"
        port = free_port() if kind == "web" else None
        process_env = {**self.env, **env, "HONCHO_PROCESS_NAME": name}
        if port:
            process_env["PORT"] = str(port)
        log = self.folder / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                f"exec {command}",
                shell=True,  # noqa: S602 - the Procfile's line, as honcho runs it
                cwd=ROOT,
                env=process_env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        process = Process(name, command, popen, log, port)
        self.processes[name] = process
        return process

    def wait_ready(self, process: Process, path: str = "/readyz", timeout=300):
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if not process.alive():
                raise RuntimeError(f"{process.name} stopped:\n{process.tail()}")
            try:
                with urllib.request.urlopen(process.url + path, timeout=3) as r:
                    if r.status == 200:
                        return
            except OSError as error:
                last = str(error)
            time.sleep(0.3)
        raise RuntimeError(f"{process.name} not ready ({last}):\n{process.tail()}")

    def wait_log(self, process: Process, text: str, timeout: float = 300) -> None:
        """Wait until ``process`` has logged ``text`` (a process without HTTP)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process.alive():
                raise RuntimeError(f"{process.name} stopped:\n{process.tail()}")
            if text in process.log.read_text(errors="replace"):
                return
            time.sleep(0.3)
        raise RuntimeError(f"{process.name} never logged {text!r}:\n{process.tail()}")

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes[name]
        process.popen.send_signal(sig)
        process.popen.wait(timeout=30)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.alive():
                process.popen.terminate()
        for process in self.processes.values():
            try:
                process.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.popen.kill()
        self.redis.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            self.postgres.stop()
        if not os.environ.get("TOPOLOGY_KEEP"):
            shutil.rmtree(self.folder, ignore_errors=True)


class Socket:
    """A dealer's open page: the notifications WebSocket with the session cookie.
    Like the page's script it remembers the newest notification it was pushed and
    sends it back when it connects again (``since``), to be given what it missed."""

    def __init__(self, web, cookie: str, since: int = 0):
        from websockets.sync.client import connect

        self.since = since
        self.socket = connect(
            web.url.replace("http", "ws") + f"/ws/notifications/?since={since}",
            additional_headers={"Cookie": cookie, "Origin": web.url},
            open_timeout=20,
        )
        first = json.loads(self.socket.recv(timeout=20))
        assert first["type"] == "unread", first

    def next_notification(self, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = json.loads(self.socket.recv(timeout=left))
            except TimeoutError:
                return None
            if message.get("type") == "notification":
                self.since = max(self.since, message["id"])
                return message
        return None

    def drain(self, quiet: float = 1.0) -> int:
        """Read what the page was pushed until it is quiet; how many pushes."""
        count = 0
        while self.next_notification(quiet) is not None:
            count += 1
        return count

    def close(self):
        self.socket.close()


def place_order(topo, web) -> float:
    """An order for the dealer through ``web``'s API; the time its commit answered."""
    request = urllib.request.Request(
        f"{web.url}/api/v1/dealers/{topo.world['dealer']}/orders",
        data=json.dumps({"lines": [{"sku": "TEA-A-01", "quantity": 1}]}).encode(),
        headers={
            "Authorization": f"Bearer {topo.world['api_key']}",
            "Content-Type": "application/json",
            "Idempotency-Key": uuid.uuid4().hex,
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        return time.monotonic()
