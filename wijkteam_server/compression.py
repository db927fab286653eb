"""Zstandard for the change feed, where the laptop accepts it.

A first pull is mostly JSON of the same shape over and over (a household's records and the
households of one team look alike), and much of that likeness lies further apart than the
32 KiB that gzip can look back. Zstandard (RFC 8878) at level 3 looks back megabytes, so a
page of a few thousand records packs to about two thirds of what gzip makes of it
(docs/performance.md), at less CPU than gzip level 5; the server shares that CPU with every
laptop's pull. httpx decodes it when the `zstandard` package is installed (a dependency of
the laptop) and then says so in ``Accept-Encoding``; every other client still gets gzip from
the middleware in `wijkteam_server.app`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import zstandard

ZSTD_LEVEL = 3


def accepts_zstd(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header admits zstd (``q=0`` refuses it)."""
    for part in accept_encoding.split(","):
        coding, _, params = part.partition(";")
        if coding.strip().lower() != "zstd":
            continue
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


def zstd_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks as one zstd frame, written out as the compressor fills its blocks."""
    compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
    for chunk in chunks:
        packed = compressor.compress(chunk)
        if packed:
            yield packed
    yield compressor.flush()
