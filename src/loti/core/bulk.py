"""Helpers for work over many rows at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for bulk work that allocates hundreds of
    thousands of rows, tuples and dicts, none of them in a reference cycle. Triggered by
    allocations, the collector would traverse them all again and again for nothing (a third
    of the time, or more). Their memory is still freed as usual, when they are no longer
    referenced; only cycles wait, until the collector runs again (or `gc.collect` is called)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
