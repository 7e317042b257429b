"""The deployment as the Procfile runs it: 2 web, 2 workers, tick and the bot on a
private PostgreSQL and Redis, the bot against the fake Bot API; then the steps of
issue 16. Each step prints what it saw; an assertion names its step.

    make topology        # or: pytest tests/topology -m topology -s
"""

import json
import statistics
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest

from tests.notifications.live import login_cookie
from tests.notifications.telegram.fake_api import TOKEN, RemoteFakeBotApi
from tests.topology.harness import Socket, Topology, place_order, servers_available

pytestmark = [
    pytest.mark.topology,
    pytest.mark.timeout(2400),
    pytest.mark.skipif(
        not servers_available(), reason="needs PostgreSQL's and Redis's programs"
    ),
]

DEALERS = 5000


def say(step: str, text: str) -> None:
    print(f"[{step}] {text}", flush=True)  # noqa: T201 - the test's report


@pytest.fixture(scope="module")
def topology():
    fake = RemoteFakeBotApi()
    topo = Topology.create(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "TELEGRAM_WEBHOOK_SECRET": "topology-secret",
        }
    )
    topo.fake = fake
    try:
        started = time.monotonic()
        topo.manage("migrate", "--no-input", "-v", "0")
        topo.world = json.loads(topo.script("build", str(DEALERS)))
        say(
            "setup",
            f"migrated and built {DEALERS:,} dealers in {time.monotonic() - started:.0f} s",
        )
        # The web processes first: six Python processes importing at once on two
        # cores start slower than two, then four.
        for kind in ("web", "web"):
            topo.start(kind)
        for name in ("web.1", "web.2"):
            topo.wait_ready(topo.processes[name])
        for kind in ("worker", "worker", "tick", "bot"):
            topo.start(kind)
        say("setup", f"web processes ready after {time.monotonic() - started:.0f} s")
        for name, text in (
            ("worker.1", "started"),
            ("worker.2", "started"),
            ("bot.1", "running"),
        ):
            topo.wait_log(topo.processes[name], text)
        time.sleep(3)  # the tick's first sweep
        dead = [p.name for p in topo.processes.values() if not p.alive()]
        assert not dead, f"setup: {dead} stopped:\n" + "\n".join(
            topo.processes[n].tail() for n in dead
        )
        say("setup", "running: " + ", ".join(topo.processes))
        yield topo
    finally:
        topo.stop()
        fake.stop()


# --- helpers ----------------------------------------------------------------------------


def reconnect(web, cookie: str, since: int, tries: int = 20) -> Socket:
    """Open the page's socket again, retrying once a second as its script does (the
    first attempts after a Redis restart may meet the layer's stale connections),
    saying the newest notification the page knows."""
    for attempt in range(tries):
        try:
            return Socket(web, cookie, since=since)
        except Exception:  # noqa: BLE001 - refused while the layer reconnects
            if attempt == tries - 1:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


def get(web, path: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(web.url + path, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, error.geturl()


def readyz(web) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(web.url + "/readyz", timeout=15) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def run_campaign(topo, title: str, *, during=None, timeout: float = 400) -> dict:
    started = time.monotonic()
    campaign = json.loads(topo.script("campaign", title))["campaign"]
    done_during = False
    while time.monotonic() - started < timeout:
        counts = campaign_counts(topo, campaign)
        deliveries = counts["deliveries"]
        if during and not done_during and during(counts):
            done_during = True
        if (
            counts["notifications"] == DEALERS
            and deliveries.get("portal:sent", 0) == DEALERS
            and deliveries.get("telegram:sent", 0) == DEALERS
        ):
            counts["elapsed"] = time.monotonic() - started
            return counts
        time.sleep(0.5)
    raise AssertionError(f"campaign {title!r} unfinished after {timeout} s: {counts}")


def campaign_counts(topo, campaign: int) -> dict:
    """What the campaign delivered so far, read straight from the database (a
    query, not a Django process per poll, so a kill lands mid-campaign)."""
    import psycopg

    with psycopg.connect(topo.postgres.url(), autocommit=True) as conn:
        (notifications, recipients), *_ = conn.execute(
            "SELECT count(*), count(DISTINCT recipient_id) "
            "FROM notifications_notification WHERE campaign_id = %s",
            [campaign],
        ).fetchall()
        rows = conn.execute(
            "SELECT d.channel, d.status, count(*) FROM notifications_delivery d "
            "JOIN notifications_notification n ON n.id = d.notification_id "
            "WHERE n.campaign_id = %s GROUP BY 1, 2",
            [campaign],
        ).fetchall()
    return {
        "notifications": notifications,
        "recipients": recipients,
        "deliveries": {f"{channel}:{status}": n for channel, status, n in rows},
    }


def telegram_texts(topo, title: str) -> Counter:
    sent = topo.fake.sent()
    return Counter(
        c.params["chat_id"] for c in sent if title in c.params.get("text", "")
    )


def worker_runs(topo, name: str, since: int) -> int:
    """task.finished events of ``deliver`` in a worker's JSON log after byte ``since``."""
    text = topo.processes[name].log.read_bytes()[since:].decode(errors="replace")
    runs = 0
    for line in text.splitlines():
        if '"task.finished"' in line and "deliver" in line:
            runs += json.loads(line).get("status") == "SUCCESSFUL"
    return runs


# --- the steps --------------------------------------------------------------------------


def test_topology(topology):
    topo = topology
    web_a, web_b = topo.processes["web.1"], topo.processes["web.2"]
    world = topo.world

    # 1. A push caused by an order on web A reaches the dealer's socket on web B.
    cookie = login_cookie(web_b.url, world["owner"], world["password"])
    socket = Socket(web_b, cookie)
    place_order(topo, web_a)  # warm-up: first request paths, first claim
    assert socket.next_notification(30), "step 1: the warm-up push never arrived"
    latencies = []
    for _ in range(5):
        committed = place_order(topo, web_a)
        message = socket.next_notification(5)
        assert message is not None, "step 1: a push never arrived within 5 s"
        latencies.append(time.monotonic() - committed)
    say(
        "1 cross-process push",
        "order on web A → socket on web B: "
        + ", ".join(f"{s * 1000:.0f}" for s in latencies)
        + f" ms (median {statistics.median(latencies) * 1000:.0f} ms)",
    )
    assert max(latencies) < 1.0, f"step 1: a push took {max(latencies):.2f} s"

    # 2. A campaign to 5,000 dealers, shared by both workers, exactly once.
    marks = {
        name: topo.processes[name].log.stat().st_size
        for name in ("worker.1", "worker.2")
    }
    counts = run_campaign(topo, "Topology campaign one")
    texts = telegram_texts(topo, "Topology campaign one")
    runs = {name: worker_runs(topo, name, since) for name, since in marks.items()}
    say(
        "2 campaign",
        f"{DEALERS:,} dealers in {counts['elapsed']:.1f} s: {counts['deliveries']}; "
        f"Telegram {sum(texts.values())} messages to {len(texts)} chats; "
        f"deliver runs per worker {runs}",
    )
    assert counts["recipients"] == DEALERS, "step 2: inbox is not one per dealer"
    assert len(texts) == DEALERS, "step 2: a dealer got no Telegram message"
    assert max(texts.values()) == 1, "step 2: a Telegram message went twice"
    assert all(runs.values()), f"step 2: a worker took no share: {runs}"

    # 3. kill -9 one worker mid-campaign: the other finishes, nothing lost.
    def kill_when_sending(counts):
        if counts["deliveries"].get("telegram:sent", 0) >= 500:
            topo.kill("worker.1")
            say("3 kill -9", f"killed worker.1 at {counts['deliveries']}")
            return True
        return False

    counts = run_campaign(topo, "Topology campaign two", during=kill_when_sending)
    texts = telegram_texts(topo, "Topology campaign two")
    twice = sum(n - 1 for n in texts.values())
    say(
        "3 kill -9",
        f"finished by worker.2 in {counts['elapsed']:.1f} s: {counts['deliveries']}; "
        f"Telegram to {len(texts)} chats, {twice} sent twice (in flight at the kill)",
    )
    assert not topo.processes["worker.1"].alive()
    assert counts["recipients"] == DEALERS, "step 3: inbox lost a dealer"
    assert len(texts) == DEALERS, "step 3: a Telegram message was lost"
    assert twice <= 64, "step 3: more resent than a worker has in flight"
    topo.start("worker", name="worker.3")

    # 4. Kill web A: the dealer's session works on web B.
    cookie_a = login_cookie(web_a.url, world["owner"], world["password"])
    topo.kill("web.1")
    status, url = get(web_b, "/", cookie_a)
    say("4 kill web A", f"GET / on web B with web A's session: {status} at {url}")
    assert status == 200, f"step 4: {status}"
    assert "/login" not in url, "step 4: the session was lost"
    web_a = topo.start("web", name="web.3")
    topo.wait_ready(web_a)

    # 5. Redis stopped for 10 s.
    socket.drain()  # the page showed the campaign pushes as they came
    topo.redis.stop()
    outage = time.monotonic()
    status, _url = get(web_b, "/", cookie)
    ready, body = readyz(web_b)
    place_order(topo, web_a)  # its push is queued during the outage
    say("5 Redis down", f"GET / → {status}; /readyz → {ready} {body['checks']}")
    assert status == 200, f"step 5: a page failed without Redis: {status}"
    assert ready == 503, "step 5: /readyz did not notice Redis"
    assert "redis" in body["checks"]
    assert body["checks"]["redis"] != "ok"
    time.sleep(max(0, 10 - (time.monotonic() - outage)))
    topo.redis.start()
    socket.close()
    # The page reconnects, as its script does. The worker may have pushed while no
    # socket listened (its retry can beat the reconnect): the consumer replays it.
    socket = reconnect(web_b, cookie, since=socket.since)
    queued = socket.next_notification(40)
    say("5 Redis back", f"the push queued during the outage arrived: {bool(queued)}")
    assert queued is not None, "step 5: the queued push never arrived"
    assert queued["kind"] == "order.placed", f"step 5: {queued['kind']} arrived"
    committed = place_order(topo, web_a)
    assert socket.next_notification(5) is not None, "step 5: no push after Redis"
    say("5 Redis back", f"a new push took {time.monotonic() - committed:.2f} s")
    for web in (web_a, web_b):
        # A load balancer polls /readyz: each process is back in rotation within
        # seconds, without a restart of its own.
        deadline = time.monotonic() + 20
        while (answer := readyz(web))[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        say("5 Redis back", f"{web.name} /readyz → {answer[0]} {answer[1]['checks']}")
        assert answer[0] == 200, f"step 5: {web.name} not ready again: {answer[1]}"

    # 6. Restart PostgreSQL: every process reconnects by itself.
    topo.postgres.restart()
    status, _url = get(web_b, "/", cookie)
    say("6 PostgreSQL restarted", f"GET / on web B → {status}")
    assert status == 200, f"step 6: {status}"
    committed = place_order(topo, web_a)
    arrived = socket.next_notification(15)
    say(
        "6 PostgreSQL restarted",
        f"push after the restart arrived in {time.monotonic() - committed:.2f} s",
    )
    assert arrived is not None, "step 6: no push after the restart"
    dead = [p.name for p in topo.processes.values() if not p.alive()]
    assert sorted(dead) == ["web.1", "worker.1"], f"step 6: processes died: {dead}"
    for name in ("tick", "bot"):
        assert topo.processes[f"{name}.1"].alive()
    socket.close()
