"""Sync on loopback: initial pull of a large caseload, a sync with nothing new (at two file
sizes), pushing 100 changes, and the longest time the sync holds the case file's lock.

Run by hand (not a CI gate; it always exits 0):

    python bench/sync.py [--households 500] [--small 50] [--repeat 20] [--database-url URL]

A real `wijkteam-server` process is started on a free loopback port (SQLite in a temporary
folder unless --database-url is given). A "producer" laptop fills its case file with the demo
generator (fictitious households with a year of history: contacts, assessments, consents,
plans) and pushes it; a fresh laptop of the same worker then does the initial pull, which is
what is measured. The keyring is in-memory (tests/helpers/memory_keyring.py).

Targets (issue 5): initial pull of 500 households <= 10 s; a sync with no changes <= 50 ms and
not growing with the size of the file; pushing 100 changes (reported).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from tests.helpers.memory_keyring import MemoryKeyring  # noqa: E402
from tests.server.conftest import Server, start_server, stop_server  # noqa: E402
from wijkteam_app.paths import ProfilePaths  # noqa: E402
from wijkteam_app.services.demo import fill_demo  # noqa: E402
from wijkteam_app.services.households import HouseholdService  # noqa: E402
from wijkteam_app.services.profile import KdfParams, Workspace, init_profile, unlock  # noqa: E402
from wijkteam_app.services.sync import SyncService  # noqa: E402
from wijkteam_app.sync import engine as engine_module  # noqa: E402

PASSPHRASE = "bench passphrase 2026"  # noqa: S105 - a throw-away bench profile
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)
LOCK_HOLDS: list[float] = []


def _instrument_lock_holds() -> None:
    """Record how long each page transaction (the longest lock hold of a sync) takes."""
    original = engine_module.SyncEngine.apply

    def timed(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            LOCK_HOLDS.append(time.perf_counter() - started)

    engine_module.SyncEngine.apply = timed  # type: ignore[method-assign]


def laptop(root: Path, name: str, server: Server, username: str, password: str
           ) -> tuple[Workspace, SyncService]:
    paths = ProfilePaths(root / name)
    init_profile(paths, PASSPHRASE, kdf=FAST_KDF)
    workspace = unlock(paths, PASSPHRASE)
    service = SyncService(workspace, device_name=name)
    service.login(server.base_url, username, password)
    return workspace, service


def timed(label: str, call):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - started
    print(f"  {label}: {elapsed * 1000:.0f} ms")
    return result, elapsed


def idle_syncs(service: SyncService, repeat: int) -> float:
    service.sync_once()  # catch up first (e.g. directory changes: the other caseload's worker)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        report = service.sync_once()
        times.append(time.perf_counter() - started)
        assert report.ok and report.pushed == 0 and report.pulled == 0, report
    return statistics.median(times)


def caseload(root: Path, server: Server, households: int, label: str
             ) -> tuple[Workspace, SyncService, float]:
    team = server.team()
    account = server.account(team)
    # The demo generator is used in blocks of at most 100 households, each block on its own
    # producer laptop (another device of the same worker).
    made = 0
    block = 0
    while made < households:
        size = min(100, households - made)
        producer, producer_sync = laptop(root, f"{label}-producer-{block}", server,
                                         account.username, account.password)
        started = time.perf_counter()
        fill_demo(producer, households=size)
        print(f"  demo data for {size} households: {time.perf_counter() - started:.1f} s")
        report, _ = timed(f"producer push ({label} {block})", producer_sync.sync_once)
        assert report.ok, report.errors
        print(f"    {report.pushed} change-sets pushed")
        producer.close()
        made += size
        block += 1
    workspace, service = laptop(root, f"{label}-fresh", server, account.username,
                                account.password)
    LOCK_HOLDS.clear()
    report, elapsed = timed(f"INITIAL PULL of {households} households", service.sync_once)
    assert report.ok, report.errors
    print(f"    {report.pulled} records applied; longest page transaction (lock hold) "
          f"{max(LOCK_HOLDS) * 1000:.0f} ms over {len(LOCK_HOLDS)} pages")
    return workspace, service, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=500)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    _instrument_lock_holds()
    with tempfile.TemporaryDirectory(prefix="wijkteam-bench-sync-") as tmp:
        root = Path(tmp)
        server = start_server(root / "server", args.database_url)
        try:
            print(f"server: {server.base_url} ({'PostgreSQL' if args.database_url else 'SQLite'})")
            print(f"caseload of {args.small} households:")
            small_ws, small_sync, _ = caseload(root, server, args.small, "small")
            print(f"caseload of {args.households} households:")
            big_ws, big_sync, initial = caseload(root, server, args.households, "large")
            idle_small = idle_syncs(small_sync, args.repeat)
            idle_big = idle_syncs(big_sync, args.repeat)
            print(f"  SYNC WITH NO CHANGES (median of {args.repeat}): "
                  f"{idle_small * 1000:.1f} ms at {args.small} households, "
                  f"{idle_big * 1000:.1f} ms at {args.households} households")
            service = HouseholdService(big_ws)
            targets = service.list(limit=100)
            for n, summary in enumerate(targets):
                current = service.get(summary.id).household
                service.update(replace(current, wijk=f"Wijk {n}"))
            LOCK_HOLDS.clear()
            report, push_time = timed(f"PUSH {len(targets)} CHANGES (and pull them back)",
                                      big_sync.sync_once)
            assert report.ok and report.pushed == len(targets), report
            print(f"    longest lock hold {max(LOCK_HOLDS or [0]) * 1000:.0f} ms")
            print()
            print(f"initial pull {args.households} households: {initial:.2f} s "
                  f"(target <= 10 s) {'OK' if initial <= 10 else 'TOO SLOW'}")
            print(f"no-change sync: {idle_big * 1000:.1f} ms (target <= 50 ms) "
                  f"{'OK' if idle_big <= 0.05 else 'TOO SLOW'}; "
                  f"{args.small} -> {args.households} households: x{idle_big / idle_small:.2f}")
            print(f"push {len(targets)} changes: {push_time:.2f} s")
            small_ws.close()
            big_ws.close()
        finally:
            stop_server(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
