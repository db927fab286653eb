"""Pausing Python's cyclic garbage collector over a burst of allocation.

A first pull or a whole read for the dashboard makes hundreds of thousands of short-lived
objects (rows, records, facts). Each burst of allocations triggers collections; the full ones
scan every live object of the process (the window's too) and took 40-150 ms in the middle
of that work, on whichever thread allocated, holding the interpreter. The objects made here
are freed by reference counting (rows and records hold no cycles), so nothing is lost by
collecting only once the burst is over.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_collection() -> Iterator[None]:
    """No cyclic garbage collection inside the block; whatever is due runs after. Nests,
    also across threads: only a use that found the collector on turns it on again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
