"""Telegram fan-out benchmark: N messages through the Telegram channel to the fake
Bot API (in its own process, so it does not share our GIL), at a configured global
limit scaled up from 30/s. Reports the achieved rate as a fraction of the limit
(measured on the fake server's clock; goal ≥ 0.95), the per-chat spacing and the
number of duplicates (goal 0).

    .venv/bin/python bench/telegram_fanout.py --messages 10000 --rate 1000
"""

import argparse
import json
import multiprocessing
import os
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def serve(port_queue) -> None:
    from tests.notifications.telegram.fake_api import FakeBotApi

    fake = FakeBotApi().start()
    port_queue.put(fake.base_url)
    while True:
        time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=1000.0, help="global msg/s")
    parser.add_argument("--chats", type=int, default=2_000)
    parser.add_argument("--chat-interval", type=float, default=1.0)
    parser.add_argument(
        "--batch", type=int, default=200, help="deliveries a worker claims at once"
    )
    parser.add_argument(
        "--limiter", choices=["memory", "redis", "database"], default="memory"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    from notifications import channels
    from notifications.telegram import ratelimit
    from notifications.telegram.channel import TelegramChannel
    from tests.notifications.telegram.fake_api import TOKEN

    queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(queue,), daemon=True)
    server.start()
    base_url = queue.get(timeout=10)
    settings.TELEGRAM = {**settings.TELEGRAM, "TOKEN": TOKEN, "API_BASE_URL": base_url}
    limits = {"rate": args.rate, "chat_interval": args.chat_interval}
    if args.limiter == "redis":  # what a deployment with REDIS_URL shares
        import redis

        client = redis.Redis.from_url(args.redis_url)
        for key in client.scan_iter(f"{ratelimit.RedisRateLimiter.prefix}*"):
            client.delete(key)
        limiter = ratelimit.RedisRateLimiter(url=args.redis_url, **limits)
    elif args.limiter == "database":
        limiter = ratelimit.DatabaseRateLimiter(**limits)
    else:
        limiter = ratelimit.MemoryRateLimiter(**limits)
    channel = TelegramChannel(limiter=limiter)
    work = [
        channels.Message(
            delivery_id=n,
            notification_id=n,
            user_id=n % args.chats,
            dealer_id=1,
            address=str(100_000 + n % args.chats),
            language="en",
            kind="campaign",
            critical=False,
            title=f"Campaign message {n}",
            body="",
        )
        for n in range(args.messages)
    ]
    outcomes = Counter()
    started = time.monotonic()
    # As the task worker does: one thread hands the channel a batch at a time.
    for at in range(0, len(work), args.batch):
        channel.send_many(
            work[at : at + args.batch],
            on_outcome=lambda _m, outcome: outcomes.update([type(outcome).__name__]),
        )
    wall = time.monotonic() - started
    channel.close()

    with urllib.request.urlopen(f"{base_url}/bot{TOKEN}/__calls__") as response:
        calls = json.load(response)
    server.terminate()
    sent = [c for c in calls if c[0] == "sendMessage" and c[3] == 200]
    times = sorted(c[2] for c in sent)
    texts = Counter(c[1]["text"] for c in sent)
    duplicates = sum(n - 1 for n in texts.values() if n > 1)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    achieved = (len(times) - 1) / span if span else 0.0
    window_max, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        window_max = max(window_max, end - start + 1)
    by_chat = defaultdict(list)
    for c in sent:
        by_chat[c[1]["chat_id"]].append(c[2])
    gaps = [
        b - a
        for ts in by_chat.values()
        for a, b in zip(sorted(ts), sorted(ts)[1:], strict=False)
    ]
    print(
        f"messages           {args.messages} to {args.chats} chats, batches of {args.batch}, {args.limiter} limiter"
    )
    print(f"outcomes           {dict(outcomes)}")
    print(
        f"limit              {args.rate:.0f}/s (30/s scaled ×{args.rate / 30:.1f}), {args.chat_interval}s per chat"
    )
    print(
        f"achieved           {achieved:.1f}/s on the server clock = {achieved / args.rate:.3f} of the limit (goal ≥ 0.95)"
    )
    print(f"busiest 1 s window {window_max} (limit {args.rate:.0f})")
    print(f"min per-chat gap   {min(gaps):.3f}s" if gaps else "min per-chat gap   n/a")
    print(f"duplicates         {duplicates}")
    print(f"wall time          {wall:.1f}s")


if __name__ == "__main__":
    main()
