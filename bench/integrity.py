"""What the read-only check of the case file costs at every unlock (issue 10).

    python bench/integrity.py [--megabytes 50] [--repeat 5]

Makes an encrypted SQLCipher file of about the given size (rows of random 4 kB blobs, a raw
256-bit key, as the app keys it) and times, side by side and in alternating order:

- `persistence.integrity.verify_casefile`: size checks, a read-only keyed connection, the
  schema read and `PRAGMA cipher_integrity_check` over every page;
- the baseline: reading the same file and computing one HMAC-SHA512 over all of it (the least
  any check of every page's HMAC has to do).

Prints milliseconds per run, per MB, and the ratio check / baseline. Informational: there is
no target; the number says what a worker waits for at unlock per MB of case file.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import sqlcipher3

from wijkteam_app.persistence.integrity import verify_casefile


def make_file(path: Path, key: bytes, megabytes: int) -> None:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("CREATE TABLE filler (data BLOB)")
    conn.execute("BEGIN")
    for _ in range(megabytes * 250):
        conn.execute("INSERT INTO filler VALUES (?)", (os.urandom(4000),))
    conn.execute("COMMIT")
    conn.close()


def time_check(path: Path, key: bytes) -> float:
    start = time.perf_counter()
    verify_casefile(path, key)
    return (time.perf_counter() - start) * 1000


def time_baseline(path: Path, key: bytes) -> float:
    start = time.perf_counter()
    mac = hmac.new(key, digestmod=hashlib.sha512)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            mac.update(chunk)
    mac.digest()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    key = secrets.token_bytes(32)
    with tempfile.TemporaryDirectory(prefix="wijkteam-integrity-") as tmp:
        path = Path(tmp) / "dossier.wijkteam"
        make_file(path, key, args.megabytes)
        size_mb = path.stat().st_size / 1e6
        checks: list[float] = []
        baselines: list[float] = []
        for n in range(args.repeat):
            order = [(time_check, checks), (time_baseline, baselines)]
            for timer, bucket in order if n % 2 == 0 else reversed(order):
                bucket.append(timer(path, key))
        check, base = statistics.median(checks), statistics.median(baselines)
        print(f"file: {size_mb:.1f} MB, {args.repeat} runs each, nproc {os.cpu_count()}")
        print(f"verify_casefile:      {check:8.1f} ms  ({check / size_mb:.1f} ms per MB)")
        print(f"read + HMAC-SHA512:   {base:8.1f} ms  ({base / size_mb:.1f} ms per MB)")
        print(f"ratio check / baseline: {check / base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
