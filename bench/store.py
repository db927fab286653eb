"""Encrypted vs plain case file, measured side by side through the app's own storage layer.

Run by hand (not a CI gate; it always exits 0):

    python bench/store.py [--households N] [--repeat R]

Both sides use the same code path: HouseholdService over CaseFile over make_engine(); the
only difference is the key (a random raw 256-bit key vs None, which opens a plain SQLite file
with exactly the same pragmas). Every measurement runs both sides in the same process on the
same data, interleaved in small blocks whose order alternates (A B, B A, ...), and each figure
is the median of --repeat runs. Ratios are medians of the per-run paired ratios.

Goals (docs/performance.md, perf-security-notes 8.1/8.2):
  DB-3  write throughput encrypted/plain >= 0.85
  DB-4  cached point reads encrypted/plain >= 0.90
  unlock (Argon2id + open encrypted) / (plain open + bare Argon2id) <= 1.2

The keyring is an in-memory backend (tests/helpers/memory_keyring.py), so no D-Bus or Secret
Service is needed; a real keyring adds its own round trip to the unlock, which this excludes.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import keyring
import sqlcipher3
from argon2.low_level import Type, hash_secret_raw

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.domain.workers import Role, Team, Worker
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence import engine as engine_module
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import set_state
from wijkteam_app.persistence.database import create_casefile, open_casefile
from wijkteam_app.security import keys
from wijkteam_app.services.clock import system_today
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import KdfParams, Workspace, init_profile, unlock

REPO_ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase, not a secret"  # noqa: S105 - throwaway profile in a temp dir
ENC = "encrypted"
PLAIN = "plain"
SIDES = (ENC, PLAIN)
WRITE_BLOCK = 50  # saves per interleaved block
READ_BLOCK = 100  # gets per interleaved block
SEARCH_TERM = "proef"

# About one household in eight has a surname that the search term "proef" matches.
SURNAMES = (
    ("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("", "Bakker"), ("", "Visser"),
    ("", "Smit"), ("", "Proefmans"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"),
    ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("de", "Proef"),
    ("van", "Leeuwen"),
)
FIRST_NAMES = ("Anouk", "Bram", "Carmen", "Daan", "Esra", "Fatima", "Gijs", "Hanna", "Ilse",
               "Jesse", "Kees", "Lotte", "Mohammed", "Noor", "Omar", "Priya")
STREETS = ("Lindenlaan", "Kerkstraat", "Molenweg", "Dorpsstraat", "Schoolstraat", "Parkweg")
POSTCODE_LETTERS = "ABCEGHJKLMNPRTVWXZ"  # no S: SA, SD and SS are not used in postcodes


# --- workload -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    household: Household
    members: tuple[Person, ...]


def make_workload(count: int, rng: random.Random) -> list[Entry]:
    """Deterministic households of three (two adults and a child), the same for both sides."""
    entries = []
    for _ in range(count):
        prefix, last = rng.choice(SURNAMES)
        surname = f"{prefix} {last}".strip()
        letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        address = Address(rng.choice(STREETS), rng.randint(1, 250), "",
                          f"{rng.randint(1011, 9999)} {letters}", "Voorbeeldstad")
        household = Household(new_id(), f"Huishouden {surname}", address, "Noord")
        adults_born = date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
        child_born = date(rng.randint(2010, 2022), rng.randint(1, 12), rng.randint(1, 28))
        members = (
            Person(new_id(), "", rng.choice(FIRST_NAMES), last, HouseholdRole.HOOFDBEWONER,
                   name_prefix=prefix, birth_date=adults_born),
            Person(new_id(), "", rng.choice(FIRST_NAMES), rng.choice(SURNAMES)[1],
                   HouseholdRole.PARTNER, birth_date=adults_born),
            Person(new_id(), "", rng.choice(FIRST_NAMES), last, HouseholdRole.KIND,
                   name_prefix=prefix, birth_date=child_born),
        )
        entries.append(Entry(household, members))
    return entries


# --- instrumentation ------------------------------------------------------------------------


@dataclass
class CallCounter:
    calls: int = 0


@contextmanager
def counting(module: Any, name: str) -> Iterator[CallCounter]:
    """Count calls to module.name while the block runs (the original still does the work)."""
    original = getattr(module, name)
    counter = CallCounter()

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        counter.calls += 1
        return original(*args, **kwargs)

    setattr(module, name, wrapper)
    try:
        yield counter
    finally:
        setattr(module, name, original)


def install_memory_keyring() -> None:
    """The tests' in-memory backend; imported at run time (the repo root is not on the path
    when the script is run as `python bench/store.py`)."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    helper = importlib.import_module("tests.helpers.memory_keyring")
    keyring.set_keyring(helper.MemoryKeyring())


def ordered(index: int) -> tuple[str, str]:
    """Alternate which side goes first, so drift and warm-up hit both sides alike."""
    return SIDES if index % 2 == 0 else (PLAIN, ENC)


def percentile(samples: Sequence[float], pct: int) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


# --- one side: a workspace over a fresh case file -------------------------------------------


def open_workspace(folder: Path, key: bytes | None) -> Workspace:
    """A new case file with a local team and worker, opened as the app opens it."""
    paths = ProfilePaths(folder)
    paths.ensure()
    create_casefile(paths.casefile, key, device_id=new_id(), profile_id=new_id())
    casefile = open_casefile(paths.casefile, key, paths.backups).casefile
    team = Team(new_id(), "Benchteam", ("Noord",))
    worker = Worker(new_id(), "bench", "Bench Werker", Role.WIJKWERKER, team.id)
    with casefile.save(worker.id, "dossier.aanmaken", "profiel") as ctx:
        repo.save_team(ctx.session, team)
        repo.save_worker(ctx.session, worker)
        set_state(ctx.session, "current_worker_id", worker.id)
    return Workspace(paths, casefile, system_today)


def pragmas(ws: Workspace) -> str:
    with ws.casefile.engine.connect() as conn:
        values = [str(conn.exec_driver_sql(f"PRAGMA {p}").scalar())
                  for p in ("journal_mode", "synchronous", "cache_size", "foreign_keys")]
    return "journal_mode={} synchronous={} cache_size={} foreign_keys={}".format(*values)


def casefile_bytes(paths: ProfilePaths) -> int:
    return sum(p.stat().st_size for p in [paths.casefile, *paths.sidecars()] if p.exists())


# --- one run ----------------------------------------------------------------------------------


@dataclass
class RunResult:
    write_rate: dict[str, float] = field(default_factory=dict)
    read_rate: dict[str, float] = field(default_factory=dict)
    search_ms: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in SIDES})
    unlock_ms: list[float] = field(default_factory=list)
    plain_open_ms: list[float] = field(default_factory=list)
    kdf_ms: list[float] = field(default_factory=list)
    app_unlock_ms: list[float] = field(default_factory=list)
    file_bytes: dict[str, int] = field(default_factory=dict)
    connects_during_workload: int = 0
    settings: dict[str, str] = field(default_factory=dict)


def run_store(root: Path, workload: list[Entry], reads: int, searches: int,
              rng: random.Random, result: RunResult) -> None:
    workspaces = {ENC: open_workspace(root / ENC, secrets.token_bytes(32)),
                  PLAIN: open_workspace(root / PLAIN, None)}
    services = {side: HouseholdService(ws) for side, ws in workspaces.items()}
    result.settings = {side: pragmas(ws) for side, ws in workspaces.items()}
    try:
        with counting(sqlcipher3, "connect") as connects:
            # 1. Writes: one save per household (household + 3 persons + outbox + audit).
            elapsed = dict.fromkeys(SIDES, 0.0)
            gc.collect()
            for block, start in enumerate(range(0, len(workload), WRITE_BLOCK)):
                chunk = workload[start:start + WRITE_BLOCK]
                for side in ordered(block):
                    create = services[side].create
                    t0 = time.perf_counter()
                    for entry in chunk:
                        create(entry.household, entry.members)
                    elapsed[side] += time.perf_counter() - t0
            for side in SIDES:
                result.write_rate[side] = len(workload) / elapsed[side]

            # 2. Cached reads: warm every page into SQLite's cache first, then random gets.
            ids = [entry.household.id for entry in workload]
            for side in SIDES:
                for household_id in ids:
                    services[side].get(household_id)
                services[side].list(SEARCH_TERM)
            picks = [rng.choice(ids) for _ in range(reads)]
            elapsed = dict.fromkeys(SIDES, 0.0)
            gc.collect()
            for block, start in enumerate(range(0, len(picks), READ_BLOCK)):
                chunk_ids = picks[start:start + READ_BLOCK]
                for side in ordered(block):
                    get = services[side].get
                    t0 = time.perf_counter()
                    for household_id in chunk_ids:
                        get(household_id)
                    elapsed[side] += time.perf_counter() - t0
            for side in SIDES:
                result.read_rate[side] = len(picks) / elapsed[side]

            # Search: the household list filtered on free text, as the list screen does.
            for index in range(searches):
                for side in ordered(index):
                    t0 = time.perf_counter()
                    found = services[side].list(SEARCH_TERM)
                    result.search_ms[side].append((time.perf_counter() - t0) * 1000)
                    assert found, "search term matched nothing"
            result.connects_during_workload = connects.calls
    finally:
        for ws in workspaces.values():
            ws.close()
    # Closing the last connection checkpoints the WAL, so this is the main file's size.
    result.file_bytes = {side: casefile_bytes(ws.paths) for side, ws in workspaces.items()}


@dataclass(frozen=True, slots=True)
class UnlockFixture:
    profile: ProfilePaths
    plain: ProfilePaths


def make_unlock_fixture(root: Path) -> UnlockFixture:
    """A real profile (key file with default KdfParams, keyring secret, encrypted case file)
    and a plain case file with the same schema and seed rows."""
    profile = ProfilePaths(root / "profiel")
    init_profile(profile, PASSPHRASE, kdf=KdfParams())
    plain_ws = open_workspace(root / "plain-open", None)
    plain_ws.close()
    return UnlockFixture(profile, plain_ws.paths)


def time_unlock(fx: UnlockFixture) -> float:
    """Passphrase to an open case file, the app's own path (services.profile.unlock's core)."""
    t0 = time.perf_counter()
    data_key = keys.unlock_data_key(fx.profile.keyfile, PASSPHRASE)
    opened = open_casefile(fx.profile.casefile, data_key, fx.profile.backups)
    elapsed = time.perf_counter() - t0
    opened.casefile.close()
    return elapsed * 1000


def time_plain_open(fx: UnlockFixture) -> float:
    t0 = time.perf_counter()
    opened = open_casefile(fx.plain.casefile, None, fx.plain.backups)
    elapsed = time.perf_counter() - t0
    opened.casefile.close()
    return elapsed * 1000


def time_bare_kdf(_: UnlockFixture) -> float:
    params = KdfParams()
    salt = secrets.token_bytes(16)
    t0 = time.perf_counter()
    hash_secret_raw(PASSPHRASE.encode(), salt, time_cost=params.time_cost,
                    memory_cost=params.memory_cost_kib, parallelism=params.parallelism,
                    hash_len=32, type=Type.ID)
    return (time.perf_counter() - t0) * 1000


def time_app_unlock(fx: UnlockFixture) -> float:
    """services.profile.unlock in full: also loads the worker and writes an audit entry."""
    t0 = time.perf_counter()
    ws = unlock(fx.profile, PASSPHRASE)
    elapsed = time.perf_counter() - t0
    ws.close()
    return elapsed * 1000


def run_unlock(fx: UnlockFixture, samples: int, result: RunResult) -> None:
    timers: list[tuple[Callable[[UnlockFixture], float], list[float]]] = [
        (time_unlock, result.unlock_ms),
        (time_plain_open, result.plain_open_ms),
        (time_bare_kdf, result.kdf_ms),
    ]
    for index in range(samples):
        # Rotate the order so none of the three always runs first.
        shift = index % len(timers)
        for timer, bucket in timers[shift:] + timers[:shift]:
            gc.collect()
            bucket.append(timer(fx))
    result.app_unlock_ms.append(time_app_unlock(fx))


@dataclass(frozen=True, slots=True)
class UnlockCounts:
    kdf_runs: int
    connects: int
    connects_app_unlock: int


def count_unlock(fx: UnlockFixture) -> UnlockCounts:
    """Not timed: how many Argon2id runs and sqlcipher3 connects one unlock makes."""
    with counting(keys, "hash_secret_raw") as kdf, counting(sqlcipher3, "connect") as connects:
        time_unlock(fx)
    with counting(sqlcipher3, "connect") as app_connects:
        time_app_unlock(fx)
    return UnlockCounts(kdf.calls, connects.calls, app_connects.calls)


# --- report -----------------------------------------------------------------------------------


def machine_facts(tmp: Path) -> list[str]:
    conn = sqlcipher3.connect(":memory:")
    try:
        # The provider pragmas answer only on a keyed database.
        conn.execute(f"PRAGMA key = \"x'{secrets.token_bytes(32).hex()}'\"")
        cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
        provider = conn.execute("PRAGMA cipher_provider").fetchone()[0]
        provider_version = conn.execute("PRAGMA cipher_provider_version").fetchone()[0]
        sqlite = conn.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        conn.close()
    return [
        f"nproc {os.cpu_count()}, {platform.platform()}",
        f"Python {platform.python_version()}, SQLite {sqlite}, SQLCipher {cipher} "
        f"({provider} {provider_version}), sqlcipher3 module",
        f"temp dir {tmp} (files fsync'ed: synchronous=FULL)",
        "keyring: in-memory backend tests/helpers/memory_keyring.MemoryKeyring (no D-Bus)",
    ]


def verdict(ratio: float, target: float, higher_is_better: bool) -> str:
    ok = ratio >= target if higher_is_better else ratio <= target
    return "PASS" if ok else "MISS"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def report(runs: list[RunResult], counts: UnlockCounts, households: int, reads: int,
           seconds: float) -> None:
    write = {s: median([r.write_rate[s] for r in runs]) for s in SIDES}
    read = {s: median([r.read_rate[s] for r in runs]) for s in SIDES}
    write_ratio = median([r.write_rate[ENC] / r.write_rate[PLAIN] for r in runs])
    read_ratio = median([r.read_rate[ENC] / r.read_rate[PLAIN] for r in runs])
    search = {s: [ms for r in runs for ms in r.search_ms[s]] for s in SIDES}
    search_ratio = median([median(r.search_ms[ENC]) / median(r.search_ms[PLAIN]) for r in runs])
    unlock_ms = median([median(r.unlock_ms) for r in runs])
    plain_ms = median([median(r.plain_open_ms) for r in runs])
    kdf_ms = median([median(r.kdf_ms) for r in runs])
    unlock_ratio = median([
        median(r.unlock_ms) / (median(r.plain_open_ms) + median(r.kdf_ms)) for r in runs
    ])
    app_unlock_ms = median([ms for r in runs for ms in r.app_unlock_ms])
    size_kib = {s: median([r.file_bytes[s] for r in runs]) / 1024 for s in SIDES}
    size_ratio = median([r.file_bytes[ENC] / r.file_bytes[PLAIN] for r in runs])

    rows = [
        ("Write: HouseholdService.create (saves/s)", f"{write[ENC]:,.0f}", f"{write[PLAIN]:,.0f}",
         f"{write_ratio:.2f}", ">= 0.85", verdict(write_ratio, 0.85, True)),
        ("Cached read: HouseholdService.get (/s)", f"{read[ENC]:,.0f}", f"{read[PLAIN]:,.0f}",
         f"{read_ratio:.2f}", ">= 0.90", verdict(read_ratio, 0.90, True)),
        ("Unlock (ms) vs plain open + bare KDF", f"{unlock_ms:.1f}",
         f"{plain_ms:.1f} + {kdf_ms:.1f}", f"{unlock_ratio:.2f}", "<= 1.20",
         verdict(unlock_ratio, 1.20, False)),
    ]
    info = [
        (f'Search list("{SEARCH_TERM}") p50 (ms)', f"{median(search[ENC]):.2f}",
         f"{median(search[PLAIN]):.2f}", f"{search_ratio:.2f}", "info", ""),
        (f'Search list("{SEARCH_TERM}") p95 (ms)', f"{percentile(search[ENC], 95):.2f}",
         f"{percentile(search[PLAIN], 95):.2f}", "", "info", ""),
        ("File size after the writes (KiB)", f"{size_kib[ENC]:,.0f}", f"{size_kib[PLAIN]:,.0f}",
         f"{size_ratio:.3f}", "info", ""),
    ]
    header = ("Measure", "encrypted", "plain", "ratio", "target", "")
    table = [header, *rows, *info]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(widths[i]) for i, cell in enumerate(row[1:], start=1)]
        return "  ".join(cells).rstrip()

    print()
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for row in [*rows, *info]:
        print(line(row))
    print()
    print(f"Medians of {len(runs)} runs; ratios are medians of the per-run paired ratios "
          f"(encrypted / plain; unlock / (plain open + KDF)).")
    print(f"Workload per run: {households} households x 3 persons, one save each; "
          f"{reads} random gets after a warm-up pass; {len(search[ENC]) // len(runs)} searches "
          f"matching ~1/8 of the households.")
    write_ms = {s: 1000 / write[s] for s in SIDES}
    print(f"Per save: {write_ms[ENC]:.2f} ms encrypted, {write_ms[PLAIN]:.2f} ms plain.")
    print(f"Unlock = keys.unlock_data_key (KdfParams() = {KdfParams()}) + open_casefile. "
          f"Full services.profile.unlock (adds worker load + audit save): {app_unlock_ms:.1f} ms.")
    print(f"KDF runs per unlock: {counts.kdf_runs}; sqlcipher3 connects per unlock: "
          f"{counts.connects} (full profile.unlock: {counts.connects_app_unlock}); connects "
          f"while writing/reading/searching on open files: "
          f"{max(r.connects_during_workload for r in runs)} -> no re-keying, one pooled "
          f"connection keyed once per open.")
    print(f"Settings read back: {runs[-1].settings[ENC]}")
    print(f"               plain: {runs[-1].settings[PLAIN]}")
    print(f"Total {seconds:.0f} s. Not a CI gate: the exit status is 0 whatever the result.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--households", type=int, default=1000, help="saves per run per side")
    parser.add_argument("--repeat", type=int, default=3, help="runs; medians are reported")
    parser.add_argument("--reads", type=int, default=2000, help="random gets per run per side")
    parser.add_argument("--searches", type=int, default=30, help="searches per run per side")
    parser.add_argument("--unlocks", type=int, default=7,
                        help="unlock / plain open / KDF samples per run")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args(argv)

    install_memory_keyring()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wijkteam-bench-") as tmp:
        tmp_path = Path(tmp)
        print("Wijkteam store benchmark: encrypted (raw 256-bit key) vs plain SQLite, "
              "same layer (HouseholdService > CaseFile > make_engine), same run")
        for fact in machine_facts(tmp_path):
            print(f"  {fact}")
        if engine_module.sqlite_version() < engine_module.MIN_SQLITE:
            print("  warning: SQLite older than the app accepts")
        fixture = make_unlock_fixture(tmp_path / "unlock")
        workload = make_workload(args.households, rng)
        runs: list[RunResult] = []
        for index in range(args.repeat):
            result = RunResult()
            run_store(tmp_path / f"run{index}", workload, args.reads, args.searches, rng, result)
            run_unlock(fixture, args.unlocks, result)
            runs.append(result)
            print(f"  run {index + 1}/{args.repeat}: write {result.write_rate[ENC]:,.0f} vs "
                  f"{result.write_rate[PLAIN]:,.0f} saves/s, read {result.read_rate[ENC]:,.0f} "
                  f"vs {result.read_rate[PLAIN]:,.0f} gets/s, unlock "
                  f"{median(result.unlock_ms):.0f} ms vs {median(result.plain_open_ms):.1f} + "
                  f"{median(result.kdf_ms):.0f} ms", flush=True)
        counts = count_unlock(fixture)
        report(runs, counts, args.households, args.reads, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
