"""Computed figures kept in Django's cache under a key that names the data they came from.

Every key carries a version of its source data (a counter bumped in the writing
transaction, or an aggregate that changes with every write), so an entry is never read
after its data changed: a changed version is a different key. Each process may keep its
own cache (LocMemCache, the default): no process can serve another's stale entry, because
there is nothing to invalidate, only keys that stop being asked for and age out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

# Shown whole up to this length, hashed beyond it (memcached refuses keys over 250 bytes).
MAX_PLAIN_KEY = 200
# Returned by the cache for a missing key (a stored value is never this object).
_MISSING = object()


def cache_key(namespace: str, *parts: object) -> str:
    """A cache key from a namespace and the values it depends on, version included."""
    text = ":".join([namespace, *(str(part) for part in parts)])
    if len(text) <= MAX_PLAIN_KEY and text.isascii() and " " not in text:
        return text
    return f"{namespace}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached(key: str, compute: Callable[[], T]) -> T:
    """The value stored under `key`, computed and stored on a miss.

    Values must not be None (some cache backends cannot tell a stored None from a miss).
    """
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value)
    return value  # type: ignore[no-any-return]
