"""A text progress bar for long imports on the command line (written to stderr)."""

from __future__ import annotations

from typing import Protocol

BAR_WIDTH = 30


class Stream(Protocol):
    def write(self, text: str) -> object: ...

    def flush(self) -> None: ...


class ProgressBar:
    """Callable as importers.Progress: bar(done, total) redraws one line in place."""

    def __init__(self, stream: Stream, label: str) -> None:
        self.stream = stream
        self.label = label
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total <= 0 else int(100 * done / total)
        if percent == self.last:
            return
        self.last = percent
        filled = BAR_WIDTH * percent // 100
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r{self.label} [{bar}] {percent:3d}% ({done}/{total} dòng){end}")
        self.stream.flush()
