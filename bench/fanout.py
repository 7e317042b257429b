"""Push figures: a campaign's fan-out, and live delivery to open WebSockets.

1. Enqueue a campaign to 1,000, 10,000 and 100,000 dealers (``campaign_run``: the
   recipients, notifications and deliveries, batch by batch): time, per-dealer cost
   and queries per batch, to show the cost is linear in dealers.
2. Deliver 1,000 portal notifications to 200 open WebSocket connections served by
   uvicorn in this process (``manage.py serve``'s server, its loop handed to the
   notifications channel): p50/p95/max from the commit of the notification to the
   socket receiving it, next to a raw channel-layer ``group_send`` in the same run.

   Then conversations, both ways: a dealer's message reaches the rep's open page,
   and the rep's answer the dealer's (issue 20: "within a second"): p50/p95/max
   from the message's commit to the other side's socket.

3. ``--topology``: the deployment. The Procfile's 2 web processes and 2 workers on a
   private PostgreSQL and Redis (tests/topology/harness.py); orders placed through
   web A's API, each timed from the API's answer (the order committed) to the
   dealer's WebSocket on web B: p50/p95/max across processes.

The in-memory channel layer by default (one process, as the embedded default runs);
``--redis-url redis://…`` uses the Redis layer instead. The database is a temporary
SQLite file, or a throw-away test database on PostgreSQL when ``DATABASE_URL`` is set.

    .venv/bin/python bench/fanout.py [--dealers 100000] [--redis-url URL]
    .venv/bin/python bench/fanout.py --topology [--orders 100]
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"


def _args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dealers", type=int, default=100_000)
    parser.add_argument("--notifications", type=int, default=1_000)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--redis-url", default="")
    parser.add_argument(
        "--topology", action="store_true", help="3. only: across processes"
    )
    parser.add_argument("--orders", type=int, default=100)
    return parser.parse_args()


def topology(orders: int) -> None:
    """Part 3: commit → socket across processes, as the Procfile runs them."""
    from tests.notifications.live import login_cookie
    from tests.topology.harness import Socket, Topology, place_order

    topo = Topology.create()
    try:
        topo.manage("migrate", "--no-input", "-v", "0")
        world = topo.world = json.loads(topo.script("build", "0"))
        for kind in ("web", "web", "worker", "worker"):
            topo.start(kind)
        web_a, web_b = topo.processes["web.1"], topo.processes["web.2"]
        topo.wait_ready(web_a)
        topo.wait_ready(web_b)
        socket = Socket(
            web_b, login_cookie(web_b.url, world["owner"], world["password"])
        )
        for _ in range(3):  # warm up both processes' code paths and pools
            place_order(topo, web_a)
            socket.next_notification(10)
        samples = []
        for _ in range(orders):
            committed = place_order(topo, web_a)
            if socket.next_notification(10) is None:
                raise RuntimeError("a push never arrived")
            samples.append(time.monotonic() - committed)
            time.sleep(0.05)
        socket.close()
    finally:
        topo.stop()
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000
    worst = ordered[-1] * 1000
    print(
        f"3. Multi-process ({len(samples)} orders): order placed on web A → dealer's "
        "socket on web B, 2 web + 2 workers from the Procfile, PostgreSQL + Redis"
    )
    print(f"{'path':<34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(
        f"{'commit → socket (other process)':<34} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f}"
    )
    print(f"multi-process p95: {p95:.0f} ms")


ARGS = _args()
if ARGS.topology:
    topology(ARGS.orders)
    sys.exit(0)
if ARGS.redis_url:
    os.environ["REDIS_URL"] = ARGS.redis_url

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

for noisy in ("django.tasks", "django_tasks", "notifications", "axes"):
    logging.getLogger(noisy).setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402

if ARGS.redis_url:
    # The test profile pins the in-memory layer; the benchmark asks for Redis. The
    # socket timeout must outlast channels_redis's 5 s blocking receive: redis-py 8
    # defaults it to 5 s too, and idle consumers then die with a TimeoutError.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": ARGS.redis_url, "socket_timeout": 30}],
                # A prefix of its own: no stale groups of an earlier run, nobody's keys.
                "prefix": f"bench-fanout-{os.getpid()}",
            },
        }
    }

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from dealers import services as dealer_services  # noqa: E402
from dealers.models import Dealer, DealerUser, Region, SalesOrg, Tier  # noqa: E402
from notifications import channels, conf, services  # noqa: E402
from notifications.models import Campaign, Delivery  # noqa: E402
from notifications.services import outbox as outbox_service  # noqa: E402


def _database():
    """A throw-away database: a temporary SQLite file, or a test DB on PostgreSQL."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="fanout-")
        db["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
    else:
        db["TEST"]["NAME"] = f"{db['NAME']}_bench_fanout"
    old = db["NAME"]
    started = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(
        f"database: {connection.vendor}, migrated in {time.perf_counter() - started:.0f} s"
    )
    return old


# --- The world ------------------------------------------------------------------------------


def _world(total: int):
    """ROOT (most dealers) → S10 (9 %) → S1 (1 %): org segments of 1 %, 10 %, 100 %."""
    root = SalesOrg.add_root(code="B-ROOT", name="总部")
    s10 = root.add_child(code="B-S10", name="十")
    s1 = s10.add_child(code="B-S1", name="一")
    tier, _ = Tier.objects.get_or_create(code="gold", defaults={"name": "gold"})
    region, _ = Region.objects.get_or_create(code="east", defaults={"name": "east"})
    small, medium = total // 100, total // 10
    started = time.perf_counter()
    dealers = Dealer.objects.bulk_create(
        [
            Dealer(
                code=f"B{n:06d}",
                name=f"经销商 {n}",
                sales_org=s1 if n < small else s10 if n < medium else root,
                tier=tier,
                region=region,
                customer_since="2020-01-01",
            )
            for n in range(total)
        ],
        batch_size=2000,
    )
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"bench{n}", password="!unusable")
            for n in range(total)
        ],
        batch_size=2000,
    )
    DealerUser.objects.bulk_create(
        [
            DealerUser(user=user, dealer=dealer, language="en")
            for user, dealer in zip(users, dealers, strict=True)
        ],
        batch_size=2000,
    )
    manager = dealer_services.sales_rep_create(
        username="bench-manager", password="bench-pass-1", sales_org=root, manager=True
    )
    print(
        f"world: {total:,} dealers and users in {time.perf_counter() - started:.0f} s"
    )
    return {"B-S1": small, "B-S10": medium, "B-ROOT": total}, manager, users, dealers


# --- 1. Fan-out -----------------------------------------------------------------------------


def fanout(segments, manager):
    batch = conf.get("FANOUT_BATCH")
    rows = []
    # The worker is not running here: this measures writing the outbox only.
    keep = outbox_service.dispatch_enqueue
    outbox_service.dispatch_enqueue = lambda **kwargs: None
    try:
        for org, size in segments.items():
            campaign = Campaign.objects.create(
                rep=manager,
                title_zh="本周促销",
                title_en="This week",
                audience={"type": "segment", "org": org},
            )
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                services.campaign_run(campaign_id=campaign.pk)
            seconds = time.perf_counter() - started
            campaign.refresh_from_db()
            assert campaign.dealers_done == size, (campaign.dealers_done, size)
            rows.append((size, seconds, -(-size // batch), len(queries)))
    finally:
        outbox_service.dispatch_enqueue = keep
    print()
    print(f"1. Enqueue a campaign ({batch:,} dealers a batch, one transaction each)")
    # Queries = setup + per_batch × batches: read both off the two largest runs.
    (_s, _t, b1, q1), (_s2, _t2, b2, q2) = rows[-2], rows[-1]
    per_batch = (q2 - q1) / (b2 - b1) if b2 != b1 else float(q1)
    print(
        f"{'dealers':>9} {'seconds':>9} {'µs/dealer':>10} {'batches':>8} "
        f"{'queries':>8} {'s/batch':>8}"
    )
    for size, seconds, batches, total_queries in rows:
        print(
            f"{size:>9,} {seconds:>9.2f} {seconds / size * 1e6:>10.0f} {batches:>8} "
            f"{total_queries:>8} {seconds / batches:>8.3f}"
        )
    print(
        f"queries per batch: {per_batch:.1f} (plus {q1 - per_batch * b1:.0f} to plan "
        "the audience), whatever the batch's size"
    )
    small, large = rows[-2], rows[-1]
    ratio = (large[1] / large[0]) / (small[1] / small[0])
    print(
        f"cost per dealer at {large[0]:,} vs {small[0]:,}: ×{ratio:.2f} (1.0 = linear)"
    )


# --- 2. Live delivery --------------------------------------------------------------------------


def _session_cookie(user) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "dealers.backends.UsernameOrPhoneBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


class Clients:
    """``count`` WebSocket clients on their own loop, recording what they receive."""

    def __init__(self, url: str, cookies: list[str], origin: str, *, inbox=True):
        self.url, self.cookies, self.origin = url, cookies, origin
        self.inbox = inbox  # a rep's socket gets no unread count first
        self.received: dict[str, float] = {}
        self.ready = threading.Event()
        self.connected = 0
        self.loop = asyncio.new_event_loop()
        self.sockets = []

    async def _client(self, cookie: str):
        from websockets.asyncio.client import connect

        socket = await connect(
            self.url,
            additional_headers={"Cookie": cookie, "Origin": self.origin},
            open_timeout=60,
            max_queue=None,
        )
        self.sockets.append(socket)
        if self.inbox:
            first = json.loads(await socket.recv())
            assert first["type"] == "unread", first
        self.connected += 1
        if self.connected == len(self.cookies):
            self.ready.set()
        async for raw in socket:
            message = json.loads(raw)
            if message.get("type") == "notification":
                self.received[message["title"]] = time.perf_counter()
            elif message.get("type") == "conversation" and message.get("message"):
                self.received.setdefault(
                    f"message {message['message']}", time.perf_counter()
                )

    def start(self):
        def run():
            asyncio.set_event_loop(self.loop)
            tasks = [self.loop.create_task(self._client(c)) for c in self.cookies]
            self.loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))

        threading.Thread(target=run, daemon=True).start()
        if not self.ready.wait(120):
            raise RuntimeError(f"only {self.connected} sockets connected")

    def wait_for(self, titles, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(t in self.received for t in titles):
                return
            time.sleep(0.01)
        missing = [t for t in titles if t not in self.received]
        raise RuntimeError(f"{len(missing)} messages never arrived, e.g. {missing[:3]}")

    def stop(self):
        for socket in self.sockets:
            asyncio.run_coroutine_threadsafe(socket.close(), self.loop)


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000


def live(users, dealers, count: int, connections: int):
    import uvicorn

    from portal.management.commands.serve import EmbeddedServer

    # Only this part's pushes are due (part 1 wrote the outbox without a worker).
    Delivery.objects.filter(status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENT
    )
    port = _free_port()
    server = EmbeddedServer(
        uvicorn.Config(
            "portal.asgi:application",
            host="127.0.0.1",
            port=port,
            lifespan="off",
            log_level="warning",
            ws_max_queue=1024,
            log_config=None,
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    picked = list(zip(users[:connections], dealers[:connections], strict=True))
    clients = Clients(
        f"ws://127.0.0.1:{port}/ws/notifications/",
        [_session_cookie(user) for user, _dealer in picked],
        f"http://127.0.0.1:{port}",
    )
    clients.start()
    # Warm up (URL resolvers, templates, first queries) as a running server would be.
    with transaction.atomic():
        services.notifications_create(
            kind="order.placed", dealer_ids=[picked[0][1].pk], data={"order": "warm"}
        )
    clients.wait_for(["Order warm placed"])
    # The outbox path: commit → on-commit task → claim → render → group_send → socket.
    committed: dict[str, float] = {}
    started = time.perf_counter()
    for n in range(count):
        user, dealer = picked[n % len(picked)]
        title = f"Order B-{n} placed"
        with transaction.atomic():
            transaction.on_commit(
                lambda title=title: committed.__setitem__(title, time.perf_counter())
            )
            services.notifications_create(
                kind="order.placed", dealer_ids=[dealer.pk], data={"order": f"B-{n}"}
            )
    outbox_seconds = time.perf_counter() - started
    clients.wait_for(list(committed))
    outbox_latency = [clients.received[t] - at for t, at in committed.items()]
    # The raw layer: group_send straight to the same groups, nothing else.
    sent: dict[str, float] = {}
    started = time.perf_counter()
    for n in range(count):
        user, _dealer = picked[n % len(picked)]
        title = f"raw {n}"
        sent[title] = time.perf_counter()
        channels.group_send(
            channels.user_group(user.pk),
            {"type": "notify.message", "id": -n, "title": title, "unread": 0},
        )
    raw_seconds = time.perf_counter() - started
    clients.wait_for(list(sent))
    raw_latency = [clients.received[t] - at for t, at in sent.items()]
    talk = conversations(port, picked, clients, min(count, 200))
    clients.stop()
    server.should_exit = True
    layer = "Redis" if ARGS.redis_url else "in-memory"
    print()
    print(
        f"2. Live delivery: {count:,} notifications to {connections} open WebSockets "
        f"({layer} layer, uvicorn in this process)"
    )
    print(f"{'path':<34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'msgs/s':>8}")
    for name, samples, seconds in (
        ("commit → socket (outbox, worker)", outbox_latency, outbox_seconds),
        ("raw group_send → socket", raw_latency, raw_seconds),
    ):
        p50, p95, worst = _percentiles(samples)
        print(
            f"{name:<34} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f} {count / seconds:>8.0f}"
        )
    for name, samples in talk:
        p50, p95, worst = _percentiles(samples)
        print(f"{name:<34} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f}")
    slowest = max(_percentiles(samples)[1] for _name, samples in talk)
    verdict = "met" if slowest < 1000 else "NOT met"
    print(f"goal: a message on the other side's open page within 1 s (p95): {verdict}")


def conversations(port: int, picked, dealer_clients, count: int):
    """Dealers write to their rep, the rep answers: commit → the other's socket."""
    from conversations import selectors as talk
    from conversations import services as talk_services
    from dealers.models import SalesRep

    # A rep answers as fast as the bench asks: no flood limit here.
    settings.CONVERSATIONS = {"MESSAGES_PER_MINUTE": 10**9}
    created = dealer_services.sales_rep_create(
        username="bench-rep", password="x", sales_org=picked[0][1].sales_org
    )
    rep = SalesRep.objects.select_related("user").get(pk=created.pk)
    rep.dealers.add(*[dealer for _user, dealer in picked])
    rep_side = talk.participant_for(user=rep.user)
    rep_clients = Clients(
        f"ws://127.0.0.1:{port}/ws/notifications/",
        [_session_cookie(rep.user)],
        f"http://127.0.0.1:{port}",
        inbox=False,
    )
    rep_clients.start()
    asked: dict[str, float] = {}
    answered: dict[str, float] = {}

    def committed(post):
        """Post in a transaction: the message, the key of its live event, and when
        it committed (stamped first on commit, before the service's live send)."""
        stamp = []
        with transaction.atomic():
            transaction.on_commit(lambda: stamp.append(time.perf_counter()))
            message = post()
        return message, f"message {message.pk}", stamp[0]

    dealer_users = list(
        DealerUser.objects.filter(user__in=[user for user, _dealer in picked])
        .select_related("user", "dealer")
        .order_by("user_id")
    )
    for n in range(count):
        dealer_side = talk.dealer_side(dealer_users[n % len(dealer_users)])
        question, key, at = committed(
            lambda side=dealer_side, n=n: talk_services.thread_start(
                participant=side, text=f"Question {n}"
            )
        )
        asked[key] = at
        rep_clients.wait_for([key])
        _answer, key, at = committed(
            lambda thread_id=question.thread_id, n=n: talk_services.message_post(
                participant=rep_side, thread_id=thread_id, text=f"Answer {n}"
            )
        )
        answered[key] = at
        dealer_clients.wait_for([key])
    rep_clients.stop()
    return [
        (
            "dealer → rep's page",
            [rep_clients.received[k] - t for k, t in asked.items()],
        ),
        (
            "rep → dealer's page",
            [dealer_clients.received[k] - t for k, t in answered.items()],
        ),
    ]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    old = _database()
    try:
        segments, manager, users, dealers = _world(ARGS.dealers)
        fanout(segments, manager)
        live(users, dealers, ARGS.notifications, ARGS.connections)
        print(f"\nfinished at {timezone.now():%Y-%m-%d %H:%M:%S} UTC")
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    main()
