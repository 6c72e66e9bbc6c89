"""Figures that are costly to compute and cheap to recognise, kept in the cache under a key that
names the data they come from.

A key holds two things: a fingerprint the caller reads from the database in one small query (for the
scores: how many, the last time one changed, the sum of their versions), and the *data generation*, a
token every write to the models in WATCHED replaces. Either changing makes a new key, so an old entry
is never read again; it simply expires. Nothing is invalidated by hand, and a write that bypasses the
models' signals (``update()``, ``bulk_create``, a restore) is still seen through the fingerprint or,
at worst, after ``TIMEOUT``.

The generation is replaced at once (a reader inside the writer's transaction, and every test, sees the
change) and again when the transaction commits (a reader that computed from the old rows between the
two stored its result under a key nobody asks for any more). With the cache down, every read is a
miss: the pages are slower, never wrong."""

import hashlib
import pickle
import secrets
import time

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "memo:generation"
TIMEOUT = 600  # seconds: the longest a write outside the signals and the fingerprints can go unseen
LOCK_SECONDS = 60  # a computing visitor that died leaves its claim this long at most
WAIT = 10.0  # seconds another visitor waits for the result before computing it itself
POLL = 0.05


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = secrets.token_hex(8)
        cache.add(GENERATION_KEY, token, None)
        token = cache.get(GENERATION_KEY) or token
    return token


def _replace() -> None:
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def data_changed(**_signal_kwargs) -> None:
    """Every memo computed before this write is stale. Usable as a signal receiver."""
    _replace()
    transaction.on_commit(_replace)


def key(name: str, *parts) -> str:
    """The cache key of ``name`` for these parts (ids, fingerprints) in the current generation."""
    digest = hashlib.sha256(pickle.dumps((generation(), parts), protocol=4)).hexdigest()[:32]
    return f"memo:{name}:{digest}"


def remember(name: str, parts: tuple, compute, timeout: int = TIMEOUT):
    """``compute()``'s value for these parts, computed once per generation and fingerprint."""
    return remember_parts(name, parts, lambda: {"value": compute()}, ["value"], timeout)["value"]


def remember_parts(name: str, parts: tuple, compute, wanted: list[str], timeout: int = TIMEOUT) -> dict:
    """As ``remember``, for a value kept in named parts (the head of a page and each page of cards):
    ``compute()`` returns every part by name, all are stored, and only the ``wanted`` ones are read
    back, so a visit unpickles one page, not a province.

    After a change, the first visitor computes and the others arriving meanwhile wait for that result
    (up to WAIT seconds) instead of each computing it again: a province's dashboard is a second of
    work, and thirty reviewers opening it after one saved score would otherwise queue thirty."""
    base = key(name, *parts)
    keys = {part: f"{base}:{part}" for part in wanted}

    def read() -> dict | None:
        found = cache.get_many(list(keys.values()))
        return {part: found[k] for part, k in keys.items()} if len(found) == len(keys) else None

    found = read()
    if found is not None:
        return found
    lock = f"{base}:computing"
    if not cache.add(lock, 1, LOCK_SECONDS):
        # Someone computes it: wait while their claim stands. A cache that does not answer has no
        # claim to read (get is None), so then nobody waits.
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and cache.get(lock) is not None:
            time.sleep(POLL)
            found = read()
            if found is not None:
                return found
        found = read()
        if found is not None:
            return found
    try:
        every = compute()
        cache.set_many({f"{base}:{part}": value for part, value in every.items()}, timeout)
    finally:
        cache.delete(lock)
    return {part: every[part] for part in wanted}
