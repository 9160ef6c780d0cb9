"""A Redis cache that an outage of Redis cannot turn into server errors.

Django's RedisCache raises on connection errors, so with Redis unreachable
every use of the cache was a 500. Nothing this app keeps in the cache is
the only copy of anything (sessions live in the database; a cached PDF
preview is rendered again), so while Redis is unreachable a read is a
miss and a write is dropped, and the pages go on working. After a failure
the cache is not tried again for RETRY_AFTER seconds, so a Redis that
times out costs one short timeout per process, not one per call.
"""

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("config.cache")
T = TypeVar("T")
RETRY_AFTER = 10.0  # seconds
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class _OneClientPerPool(RedisCacheClient):
    """Django's client makes a new redis.Redis (its command table and
    response callbacks) for every cache call, a tenth of a team leader's
    page, whose badges read the cache. A Redis client takes a connection
    from its pool for each command, so one per pool serves every thread."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own private helpers (not in django-stubs); its pools live
        # as long as this client, so a pool's id is its key.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ResilientRedisCache(RedisCache):
    _down_until = 0.0  # per process: when to try Redis again

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._class = _OneClientPerPool

    def _try(self, default: T, call: Callable[[], T]) -> T:
        if time.monotonic() < ResilientRedisCache._down_until:
            return default
        try:
            return call()
        except _UNREACHABLE as exc:
            ResilientRedisCache._down_until = time.monotonic() + RETRY_AFTER
            log.warning("cache unreachable (%s): working without it for %ss", exc, RETRY_AFTER)
            return default

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._try(False, lambda: super(ResilientRedisCache, self).add(key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._try(default, lambda: super(ResilientRedisCache, self).get(key, default, version))

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._try(None, lambda: super(ResilientRedisCache, self).set(key, value, timeout, version))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._try(False, lambda: super(ResilientRedisCache, self).touch(key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._try(False, lambda: super(ResilientRedisCache, self).delete(key, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._try({}, lambda: super(ResilientRedisCache, self).get_many(keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._try(False, lambda: super(ResilientRedisCache, self).has_key(key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A counter that cannot be read counts from nothing (a rate limit
        # that cannot count lets the request through rather than fail it).
        return self._try(delta, lambda: super(ResilientRedisCache, self).incr(key, delta, version))

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._try(list(data), lambda: super(ResilientRedisCache, self).set_many(data, timeout, version))

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._try(None, lambda: super(ResilientRedisCache, self).delete_many(keys, version))

    def clear(self) -> None:
        self._try(None, lambda: super(ResilientRedisCache, self).clear())
