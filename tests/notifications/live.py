"""A live ``manage.py serve`` (uvicorn + the embedded task worker) on a temporary
SQLite file: the embedded default, end to end.

The schema is copied from the migrated test database (SQLite's backup API); the data
is built inside the server's database by running this module as a script
(``python -m tests.notifications.live build|push``) with ``DATABASE_URL`` pointing
at the file, so it goes through the real services and the database task queue.
"""

import http.cookiejar
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LiveServer:
    url: str
    env: dict
    process: subprocess.Popen
    log: Path
    world: dict

    def script(self, *args: str) -> dict:
        """Run this module's command ``args`` in the server's database."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.notifications.live", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"{args} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def copy_schema(django_db_blocker, target: Path) -> None:
    """The migrated test database (SQLite only), copied into ``target``."""
    from django.db import connection

    with django_db_blocker.unblock():
        connection.ensure_connection()
        with sqlite3.connect(target) as destination:
            connection.connection.backup(destination)


def start(django_db_blocker, folder: Path) -> LiveServer:
    """Copy the schema, build the world, start ``manage.py serve`` with its worker."""
    database = folder / "portal.sqlite3"
    copy_schema(django_db_blocker, database)
    env = server_env(database)
    port = free_port()
    log = folder / "server.log"
    placeholder = LiveServer(f"http://127.0.0.1:{port}", env, None, log, {})
    world = placeholder.script("build")
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(placeholder.url, env, process, log, world)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"the server did not answer:\n{log.read_text()[-3000:]}")


def login_cookie(url: str, username: str, password: str) -> str:
    """Log in through the portal's form; answer the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{url}/login/", timeout=10).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{url}/login/", data=body, headers={"Referer": f"{url}/login/"}
    )
    opener.open(request, timeout=10).read()
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "login failed"
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# --- Run inside the server's database ------------------------------------------------------


def build() -> dict:
    """D1 (owner, buyer, viewer) and D2 from the order world, P-GIFT approved, and a
    rep of EAST-SH serving D1."""
    from tests.notifications.factories import PASSWORD, approve_gift, rep_for
    from tests.orders.factories import build_world

    world = build_world()
    owner = world["owner"]
    owner.language = "en"  # pushes are rendered in the user's saved language
    owner.save(update_fields=["language"])
    approve_gift()
    rep = rep_for(world, "rep1", org="EAST-SH", serves=["dealer"])
    return {
        "password": PASSWORD,
        "owner": world["owner"].user.username,
        "rep": rep.user.username,
        "dealer_id": world["dealer"].pk,
        "dealer": world["dealer"].code,
    }


def push(order: str) -> dict:
    """Announce an order event for D1, committed here: the server's worker delivers."""
    from django.db import transaction

    from common import outbox
    from dealers.models import Dealer

    dealer = Dealer.objects.get(code="D1")
    with transaction.atomic():
        outbox.announce(
            outbox.Event(
                kind="order.shipped",
                dealer_ids=(dealer.pk,),
                data={"order": order, "carrier": "SF"},
            )
        )
    return {"order": order, "committed_at": time.time()}


if __name__ == "__main__":
    import django

    django.setup()
    command, *rest = sys.argv[1:]
    result = build() if command == "build" else push(*rest)
    print(json.dumps(result))  # noqa: T201 - read by the test process
