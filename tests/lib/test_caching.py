"""The cache helper: keys that name their data, values computed once per key."""

from __future__ import annotations

from papitrack.lib.caching import MAX_PLAIN_KEY, cache_key, cached


def test_short_keys_are_readable_and_long_ones_hashed():
    long_key = cache_key("ranks", "x" * MAX_PLAIN_KEY)

    assert cache_key("ranks", 1, "2020", None) == "ranks:1:2020:None"
    assert long_key.startswith("ranks:")
    assert len(long_key) == len("ranks:") + 64
    assert cache_key("ranks", "Quảng Nam") != cache_key("ranks", "Quang Nam")


def test_value_is_computed_once_per_key():
    calls: list[str] = []

    def compute(name: str) -> list[str]:
        calls.append(name)
        return [name]

    first = cached("test:one", lambda: compute("one"))
    again = cached("test:one", lambda: compute("again"))
    other = cached("test:two", lambda: compute("two"))

    assert (first, again, other, calls) == (["one"], ["one"], ["two"], ["one", "two"])
