"""With Redis away the cache answers misses, so pages compute from the database."""

import socket

from common.cache import TolerantRedisCache


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cache(url: str) -> TolerantRedisCache:
    return TolerantRedisCache(url, {"OPTIONS": {"socket_connect_timeout": 1}})


def test_reads_miss_and_writes_are_dropped_while_redis_is_away():
    cache = _cache(f"redis://127.0.0.1:{_closed_port()}/0")

    cache.set("k", "v")
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["k"]) == {}
    assert cache.add("k", "v") is False
    assert cache.delete("k") is False
    assert cache.get_or_set("k", lambda: "computed") == "computed"


def test_it_is_a_redis_cache_when_redis_answers(redis_url):
    cache = _cache(redis_url)
    key = f"tolerant-{_closed_port()}"
    try:
        cache.set(key, "v", 30)
        assert cache.get(key) == "v"
        assert cache.add(key, "other") is False
    finally:
        cache.delete(key)
