"""Run many small matrix products on one BLAS thread.

The bootstrap does one small product per domain (a few hundred rows by a dozen PSUs). A
multi-threaded OpenBLAS wakes its threads for each of them, and when other processes share
the cores that costs far more than the arithmetic (measured: 63 products took 0.6–1.0 s on
two busy cores, 0.065 s on one thread). numpy has no switch for this, so we call OpenBLAS's
own setter through ctypes, as threadpoolctl does; with another BLAS this does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)
_GETTERS = (
    "scipy_openblas_get_num_threads64_",
    "scipy_openblas_get_num_threads",
    "openblas_get_num_threads64_",
    "openblas_get_num_threads",
)
_lock = threading.Lock()


@functools.cache
def _openblas() -> tuple[Callable[..., Any], Callable[..., Any]] | None:
    """The (setter, getter) of the OpenBLAS that numpy loaded, or None."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:  # pragma: no cover - not Linux: leave BLAS as it is
        return None
    paths = sorted({line.split()[-1] for line in maps.splitlines() if "openblas" in line.lower()})
    for path in paths:
        try:
            library = ctypes.CDLL(path)
        except OSError:  # pragma: no cover - mapped but not loadable
            continue
        setter = next((getattr(library, n) for n in _SETTERS if hasattr(library, n)), None)
        getter = next((getattr(library, n) for n in _GETTERS if hasattr(library, n)), None)
        if setter is not None and getter is not None:
            return setter, getter
    return None  # pragma: no cover - numpy built against another BLAS


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Limit OpenBLAS to one thread inside the block, then restore the previous count."""
    functions = _openblas()
    if functions is None:  # pragma: no cover - another BLAS
        yield
        return
    setter, getter = functions
    with _lock:
        previous = int(getter())
        setter(1)
        try:
            yield
        finally:
            setter(previous)
