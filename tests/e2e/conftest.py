"""A live ASGI server (``manage.py serve``) on a migrated temporary SQLite file, and
Debian's Chromium driven by Playwright at a phone's size.

The schema is copied from the test database pytest-django has just migrated (SQLite's
backup API, instant) instead of migrating again; the data is built in the server's
database by ``tests.e2e.world``. No browser is ever downloaded: without
/usr/bin/chromium the tests skip, unless ``REQUIRE_BROWSER`` is set (then they fail).
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "e2e"
VIEWPORT = {"width": 375, "height": 812}  # UX.md: one column at 375 px
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError(
            "REQUIRE_BROWSER is set but /usr/bin/chromium is missing "
            "(apt-get install chromium)."
        )
    skip = pytest.mark.skip(
        reason="end-to-end tests need Debian's Chromium at /usr/bin/chromium "
        "(apt-get install chromium); set REQUIRE_BROWSER=1 to fail instead"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


# The server gets its own database and settings, and Django's async guard intact; it
# runs as `make run` does (no DEBUG unless a developer asks for it).
NOT_FOR_THE_SERVER = {
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(database: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in NOT_FOR_THE_SERVER}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        PYTHONPATH=str(ROOT),
    )
    return env


def _copy_schema(django_db_blocker, target: Path) -> None:
    """The migrated, empty test database, copied into ``target``."""
    from django.db import connection

    with django_db_blocker.unblock():
        connection.ensure_connection()
        assert connection.settings_dict["NAME"] != str(ROOT / "db.sqlite3"), (
            "no test database: mark the e2e tests django_db"
        )
        if connection.vendor == "sqlite":
            with sqlite3.connect(target) as destination:
                connection.connection.backup(destination)
            return
    # Another database under test: migrate the SQLite file the slow way.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=_env(target),
        check=True,
        timeout=600,
    )


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/login/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def live_portal(django_db_setup, django_db_blocker, tmp_path_factory):
    """The portal served by uvicorn (the ASGI app) on a free port, with the e2e world."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    folder = tmp_path_factory.mktemp("live")
    database = folder / "portal.sqlite3"
    _copy_schema(django_db_blocker, database)
    built = subprocess.run(
        [sys.executable, "-m", "tests.e2e.world"],
        cwd=ROOT,
        env=_env(database),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if built.returncode:
        raise RuntimeError(f"building the e2e world failed:\n{built.stderr[-3000:]}")
    world = json.loads(built.stdout.strip().splitlines()[-1])
    port = _free_port()
    log = folder / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-worker",
            ],
            cwd=ROOT,
            env=_env(database),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server, log)
        yield {"url": url, "database": database, "world": world, "log": log}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the tests still touch
    # the (empty) test database through pytest-django's transaction, which Django
    # would otherwise refuse as "async". The server runs in its own process. Module
    # scope: the flag is gone again before any other test module runs (pytest-django
    # runs tests without database access last, after these).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def phone(browser, live_portal):
    """A fresh phone-sized page in English (the engine's sentences too)."""
    context = browser.new_context(
        viewport=VIEWPORT,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_portal["url"],
        locale="en-US",
    )
    context.add_cookies(
        [{"name": "django_language", "value": "en", "url": live_portal["url"]}]
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot(request):
    """Save a screenshot of the page as test-output/e2e/<test>-<n>-<step>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def _shot(page, step: str, *, full_page: bool = True) -> Path:
        path = SHOTS / f"{request.node.name}-{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return _shot


def login(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def order_count(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT COUNT(*) FROM orders_order").fetchone()[0]
