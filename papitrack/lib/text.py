"""Vietnamese text helpers: NFC normalisation, accent folding for search, sort key."""

from __future__ import annotations

import re
import unicodedata

VIETNAMESE_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
LETTER_RANK = {letter: rank for rank, letter in enumerate(VIETNAMESE_ALPHABET)}
# Tone marks ranked as ICU's Vietnamese collation does: huyền, hỏi, ngã, sắc, nặng.
TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Breve (ă), circumflex (â ê ô) and horn (ơ ư) make letters of their own, not accents.
LETTER_MODIFIERS = {"\u0306", "\u0302", "\u031b"}
PUNCTUATION, DIGIT, LETTER = 0, 1, 2

_WHITESPACE = re.compile(r"\s+")

SortKey = tuple[list[tuple[int, int]], list[int], list[int]]


def normalize_text(text: str) -> str:
    """Return text in NFC with runs of white space collapsed and ends trimmed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold_text(text: str) -> str:
    """Fold text for accent-insensitive search: "Quản trị" -> "quan tri".

    Đ/đ are not decomposable in Unicode, so they are replaced first; otherwise "Đà Nẵng"
    would fold to "a nang".
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return _WHITESPACE.sub(" ", stripped.casefold()).strip()


def vietnamese_sort_key(text: str) -> SortKey:
    """Order text as ICU's Vietnamese collation does: base letters, then tones, then case."""
    base: list[tuple[int, str]] = []
    tones: list[int] = []
    cases: list[int] = []
    for char in unicodedata.normalize("NFD", text):
        if char in TONE_RANK and tones:
            tones[-1] = TONE_RANK[char]
            continue
        if char in LETTER_MODIFIERS and base:
            _, previous = base.pop()
            base.append((LETTER, unicodedata.normalize("NFC", previous + char)))
            continue
        if char.isalpha():
            base.append((LETTER, char.lower()))
        elif char.isdigit():
            base.append((DIGIT, char))
        else:
            base.append((PUNCTUATION, char))
        tones.append(0)
        cases.append(1 if char.isalpha() and not char.islower() else 0)
    primary = [
        (kind, LETTER_RANK.get(char, 100 + ord(char)) if kind == LETTER else ord(char))
        for kind, char in base
    ]
    return primary, tones, cases
