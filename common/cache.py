"""Django's Redis cache, made non-fatal: when Redis is down, a read is a miss and a write is
dropped, with a warning in the log, instead of an error page.

Nothing the application keeps only in the cache is essential: sessions live in the database, and
the login throttle's counters (common.security) simply start again from zero. So a dead cache may
cost speed or the throttle for a while, never a page. Give the connection short socket timeouts
(settings CACHES OPTIONS) so that a Redis that does not answer costs a fraction of a second."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# What a failing Redis connection raises: redis-py's own errors, and socket errors it lets through.
CACHE_ERRORS = (RedisError, OSError)


def _forgiving(name: str, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except CACHE_ERRORS as exc:
            log.warning("Bộ nhớ đệm Redis không trả lời (%s: %s); bỏ qua.", name, exc)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    call.__name__ = name
    call.__doc__ = f"RedisCache.{name}, answering {fallback!r} when Redis is down."
    return call


def _default_of_get(key, default=None, version=None):
    return default


def _no_counter(*args, **kwargs):
    # incr on a missing key raises ValueError in every Django cache; a dead Redis has no keys.
    raise ValueError("bộ nhớ đệm không có bộ đếm này (Redis không trả lời)")


class ForgivingRedisCache(RedisCache):
    """RedisCache whose failures are misses (get → default, add/touch/delete/has_key → False,
    get_many → {}, set/set_many/delete_many → nothing stored) and incr → ValueError as for a
    missing key."""

    add = _forgiving("add", False)
    get = _forgiving("get", _default_of_get)
    set = _forgiving("set", None)
    touch = _forgiving("touch", False)
    delete = _forgiving("delete", False)
    get_many = _forgiving("get_many", lambda *a, **k: {})
    has_key = _forgiving("has_key", False)
    incr = _forgiving("incr", _no_counter)
    set_many = _forgiving("set_many", lambda *a, **k: [])
    delete_many = _forgiving("delete_many", None)
    clear = _forgiving("clear", False)
