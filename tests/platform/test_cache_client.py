"""The Redis cache keeps one client per connection pool (config.cache),
and still answers a miss when Redis cannot be reached."""

import socket

from config.cache import ResilientRedisCache


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_one_client_per_pool_and_a_miss_when_unreachable():
    cache = ResilientRedisCache(f"redis://127.0.0.1:{_unused_port()}/0",
                                {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}})
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client  # one server: one pool, one client
    assert client.connection_pool is cache._cache._get_connection_pool(False)
    try:
        assert cache.get("key", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
    finally:
        ResilientRedisCache._down_until = 0.0  # other tests' caches try Redis at once
