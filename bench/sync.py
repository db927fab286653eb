"""Sync on loopback, side by side with PouchDB: the first pull of a new laptop, a sync with
nothing new, the bytes of the first pull, and how long the sync holds the case file's lock.

Run by hand (not a CI gate; it always exits 0):

    python bench/sync.py --pouch-dir /path/to/anchor-folder
        [--sizes 100,500,2000] [--records 60] [--rounds 3] [--idle 15]
        [--keyring real|memory] [--database-url URL]

What is measured, and against what, in ONE run:

- **Ours**: a real `wijkteam-server` process on 127.0.0.1 (SQLite in a temporary folder
  unless --database-url is given) and, per measurement, a NEW laptop: a fresh encrypted case
  file, logged in as a worker whose caseload is N households of ~60 records each. Timed is
  `SyncService.sync_once()` (push of an empty outbox, the whole initial pull into the
  encrypted file, conflicts, attachments), exactly what the first-run wizard runs; docs/s is
  records applied / that time. Then the median of `--idle` syncs with nothing new.
- **The anchor**: `pouch_sync.js` of ../shared/anchor-bench (PouchDB replication over HTTP
  into LevelDB, same households x records), run with node in the folder given by
  --pouch-dir (set it up OUTSIDE the repository, see the anchor's README). It prints its
  own docs/s and no-change time.
- Sizes and sides are **interleaved**: every round visits every size (the order rotates per
  round) and at each size runs both sides, alternating which one goes first. Medians over the
  rounds are printed with the ratio ours / PouchDB (>= 1.0 means we are at least as fast).
- **Keyring**: by default the real Secret Service: the script re-runs itself under
  `dbus-run-session` with a throw-away gnome-keyring (as scripts/test.sh does), so reading
  the sync token costs what it costs on a laptop. `--keyring memory` uses the tests'
  in-memory keyring instead (quick runs only).
- **Bytes**: what the laptop received over the wire for one initial pull (compressed, as
  sent) and the JSON it decoded, against every HTTP response body of the PouchDB replication
  of the same shape as sent (express-pouchdb gzips them) and decoded (one extra, untimed
  anchor run per size, with a small node preload that counts the bodies).
- **Lock**: the longest time the sync held the case file's lock (one transaction) during
  each initial pull, and, in a separate untimed pass at the largest size, how long saves made
  by a second thread (as the window does) waited while a pull ran.

The caseload is made from the demo generator's households: a producer laptop fills 12 demo
households and pushes them; the bench then copies those records straight into the server's
database under fresh ids (and pads each household to --records with extra copies of its
journal entries), so 2,000 households take seconds to prepare instead of an hour of pushes.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEYRING_ENV = "WIJKTEAM_BENCH_KEYRING_SESSION"
PASSPHRASE = "bench passphrase 2026"  # noqa: S105 - a throw-away bench profile


def reexec_in_keyring_session() -> NoReturn:
    """Run this script again inside a private D-Bus session with an unlocked throw-away
    gnome-keyring (the real Secret Service), like scripts/test.sh."""
    script = (
        'export XDG_DATA_HOME="$(mktemp -d)"; '
        'eval "$(printf wijkteam-bench-keyring | gnome-keyring-daemon --unlock '
        '--components=secrets)"; '
        f'export GNOME_KEYRING_CONTROL {KEYRING_ENV}=1; '
        'python "$0" "$@"; rc=$?; rm -rf "$XDG_DATA_HOME"; exit $rc'
    )
    command = ["dbus-run-session", "--", "bash", "-c", script, str(Path(__file__).resolve()),
               *sys.argv[1:]]
    raise SystemExit(subprocess.run(command, check=False).returncode)


# Imports after the path set-up (and after a possible re-exec).
import httpx  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from tests.server.conftest import Server, start_server, stop_server  # noqa: E402
from wijkteam_app.domain.plans import PlanContent, fingerprint  # noqa: E402
from wijkteam_app.paths import ProfilePaths  # noqa: E402
from wijkteam_app.persistence import casefile as casefile_module  # noqa: E402
from wijkteam_app.persistence.codec import from_plain  # noqa: E402
from wijkteam_app.persistence.schema import WorkerRecord  # noqa: E402
from wijkteam_app.services.demo import fill_demo  # noqa: E402
from wijkteam_app.services.households import HouseholdService  # noqa: E402
from wijkteam_app.services.profile import KdfParams, Workspace, init_profile, unlock  # noqa: E402
from wijkteam_app.services.sync import SyncService  # noqa: E402
from wijkteam_server import admin  # noqa: E402
from wijkteam_server.models import EntityRow, HouseholdAccess  # noqa: E402
from wijkteam_server.scope import household_principals  # noqa: E402

FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)
SERVER_PASSWORD = "een-lang-bench-wachtwoord"  # noqa: S105
PAD_ENTITIES = ("contact_moment", "assessment", "network_member")


# --------------------------------------------------------------------------- measuring


class LockClock:
    """Times every transaction of every case file (`CaseFile.read` and `CaseFile.save`
    hold the file's one lock for exactly their duration)."""

    def __init__(self) -> None:
        self.holds: list[float] = []
        self.longest: tuple[float, str] = (0.0, "")  # and which code held it
        self.active = False
        original_read = casefile_module.CaseFile.read
        original_save = casefile_module.CaseFile.save
        clock = self

        def held(started: float) -> None:
            took = time.perf_counter() - started
            clock.holds.append(took)
            if took > clock.longest[0]:
                frame = sys._getframe(3)  # the caller of the `with` (past contextlib)
                clock.longest = (took, f"{frame.f_code.co_name}:{frame.f_lineno}")

        @contextmanager
        def read(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            with original_read(self, *args, **kwargs) as session:
                started = time.perf_counter()
                yield session
            if clock.active:
                held(started)

        @contextmanager
        def save(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            with original_save(self, *args, **kwargs) as ctx:
                started = time.perf_counter()
                yield ctx
            if clock.active:
                held(started)

        casefile_module.CaseFile.read = read  # type: ignore[method-assign]
        casefile_module.CaseFile.save = save  # type: ignore[method-assign]

    @contextmanager
    def measuring(self) -> Iterator[list[float]]:
        self.holds = []
        self.longest = (0.0, "")
        self.active = True
        try:
            yield self.holds
        finally:
            self.active = False


class _CountedStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, counter: ByteCounter, encoding: str) -> None:
        self.inner = inner
        self.counter = counter
        self.inflate: Any = None
        if encoding == "gzip":
            self.inflate = zlib.decompressobj(wbits=31)
        elif encoding == "zstd":
            import zstandard

            self.inflate = zstandard.ZstdDecompressor().decompressobj()

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.inner:
            self.counter.wire += len(chunk)
            if self.inflate is not None:
                self.counter.decoded += len(self.inflate.decompress(chunk))
            else:
                self.counter.decoded += len(chunk)
            yield chunk

    def close(self) -> None:
        self.inner.close()


class ByteCounter(httpx.BaseTransport):
    """A real HTTP transport that counts response bytes as they arrive (before httpx
    decompresses them) and, for gzip and zstd, the decoded size too."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.wire = 0
        self.decoded = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        encoding = response.headers.get("content-encoding", "")
        assert isinstance(response.stream, httpx.SyncByteStream)
        return httpx.Response(response.status_code, headers=response.headers,
                              stream=_CountedStream(response.stream, self, encoding),
                              extensions=response.extensions)

    def close(self) -> None:
        self.inner.close()


# --------------------------------------------------------------------------- the caseload


@dataclass
class Caseload:
    households: int
    username: str
    user_id: str
    records: int = 0


def _swap(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, list):
        return [_swap(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: _swap(v, mapping) for k, v in value.items()}
    return value


def make_templates(root: Path, server: Server, team: str) -> tuple[list[list[EntityRow]],
                                                                    dict[str, str]]:
    """12 demo households made by the app and pushed through the sync API; returns their
    server records per household and the ids of the workers they name."""
    user_id = admin.add_user(server.engine, "sjabloon", team, "wijkwerker", SERVER_PASSWORD,
                             display_name="Sjabloon Werker")
    paths = ProfilePaths(root / "template")
    init_profile(paths, PASSPHRASE, kdf=FAST_KDF)
    workspace = unlock(paths, PASSPHRASE)
    service = SyncService(workspace, device_name="template")
    try:
        service.login(server.base_url, "sjabloon", SERVER_PASSWORD)
        fill_demo(workspace, households=12)
        report = service.sync_once()
        assert report.ok, report
        if report.rejected:  # the demo invents e.g. a coach's approval: the server refuses
            print(f"sjabloon: {report.rejected} van {report.pushed} demo-records geweigerd "
                  "door de server (rechten); de rest is het sjabloon")
        with workspace.casefile.read() as session:
            local_workers = [w for w in session.scalars(select(WorkerRecord.id))
                             if w != user_id]
    finally:
        service.close()
        workspace.close()
    with Session(server.engine) as session:
        rows = session.scalars(select(EntityRow).where(EntityRow.household_id.is_not(None),
                                                       EntityRow.deleted.is_(False))).all()
        session.expunge_all()
    by_household: dict[str, list[EntityRow]] = defaultdict(list)
    for row in rows:
        by_household[str(row.household_id)].append(row)
    workers = {user_id: "<regisseur>", **dict.fromkeys(local_workers, "<coach>")}
    return [by_household[h] for h in sorted(by_household)], workers


def fill_caseload(server: Server, templates: list[list[EntityRow]], workers: dict[str, str],
                  team_id: str, regisseur_id: str, coach_id: str, households: int,
                  per_household: int) -> int:
    """Copy template households under fresh ids into the server's database, each padded to
    ``per_household`` records; returns the number of records written."""
    roles = {"<regisseur>": regisseur_id, "<coach>": coach_id}
    written = 0
    batch: list[dict[str, Any]] = []
    made: list[str] = []
    with Session(server.engine) as session, session.begin():
        for index in range(households):
            template = templates[index % len(templates)]
            mapping = {old: roles[role] for old, role in workers.items()}
            for row in template:
                mapping[row.entity_id] = str(uuid.uuid4())
                if row.entity == "plan_version":  # plan ids are unique with the number
                    mapping.setdefault(row.data["plan_id"], str(uuid.uuid4()))
            household_id = next(mapping[r.entity_id] for r in template
                                if r.entity == "household")
            rows = [(row, mapping[row.entity_id]) for row in template]
            pads = [r for r in template if r.entity in PAD_ENTITIES] or template[1:]
            pad = 0
            while len(rows) < per_household:
                rows.append((pads[pad % len(pads)], str(uuid.uuid4())))
                pad += 1
            for row, new_id in rows[:per_household]:
                data = _swap(copy.deepcopy(row.data), mapping)
                if row.entity == "plan_version":
                    data["fingerprint"] = fingerprint(from_plain(PlanContent, data["content"]))
                batch.append({
                    "entity": row.entity, "entity_id": new_id, "household_id": household_id,
                    "team_id": team_id if row.team_id else None, "created_by": regisseur_id,
                    "version": row.version, "data": data,
                    "field_versions": row.field_versions, "field_origins": row.field_origins,
                    "deleted": False, "updated_at": row.updated_at})
            made.append(household_id)
            if len(batch) >= 5000:
                session.execute(insert(EntityRow), batch)
                written += len(batch)
                batch = []
        if batch:
            session.execute(insert(EntityRow), batch)
            written += len(batch)
        session.flush()
        access = [{"household_id": h, "principal": p} for h in made
                  for p in sorted(household_principals(session, h))]
        session.execute(insert(HouseholdAccess), access)
    return written


# --------------------------------------------------------------------------- our side


@dataclass
class OurRun:
    seconds: float
    records: int
    idle_ms: float
    longest_hold_ms: float
    hold_p95_ms: float
    transactions: int
    wire_bytes: int
    decoded_bytes: int

    @property
    def docs_per_s(self) -> float:
        return self.records / self.seconds


def new_laptop(root: Path, server: Server, username: str, transport: httpx.BaseTransport,
               ) -> tuple[Workspace, SyncService]:
    paths = ProfilePaths(root / f"laptop-{uuid.uuid4().hex[:8]}")
    init_profile(paths, PASSPHRASE, kdf=FAST_KDF)
    workspace = unlock(paths, PASSPHRASE)
    service = SyncService(workspace, device_name=paths.root.name, http_transport=transport)
    service.login(server.base_url, username, SERVER_PASSWORD)
    return workspace, service


def our_initial_pull(root: Path, server: Server, load: Caseload, clock: LockClock,
                     idle: int) -> OurRun:
    counter = ByteCounter()
    workspace, service = new_laptop(root, server, load.username, counter)
    counter.wire = counter.decoded = 0
    try:
        with clock.measuring() as holds:
            started = time.perf_counter()
            report = service.sync_once()
            elapsed = time.perf_counter() - started
        assert report.ok, report.errors
        idle_times = []
        for _ in range(idle):
            started = time.perf_counter()
            again = service.sync_once()
            idle_times.append(time.perf_counter() - started)
            assert again.ok and again.pulled == 0 and again.pushed == 0, again
        return OurRun(elapsed, report.pulled, statistics.median(idle_times) * 1000,
                      max(holds) * 1000,
                      statistics.quantiles(holds, n=20)[-1] * 1000 if len(holds) > 1 else 0.0,
                      len(holds), counter.wire, counter.decoded)
    finally:
        service.close()
        workspace.close()
        counter.close()
        shutil.rmtree(workspace.paths.root, ignore_errors=True)


def saves_during_pull(root: Path, server: Server, load: Caseload) -> tuple[float, float, int]:
    """A second thread saves a household every ~20 ms while the laptop's first pull runs (as
    the window would); returns the longest and the median save time in ms and the count."""
    workspace, service = new_laptop(root, server, load.username, httpx.HTTPTransport())
    households = HouseholdService(workspace)
    from tests.helpers import factories

    local = factories.household("Huishouden Tijdens Pull")
    households.create(local, [factories.person(local.id)])
    times: list[float] = []
    done = threading.Event()

    def saver() -> None:
        n = 0
        while not done.is_set():
            current = households.get(local.id).household
            started = time.perf_counter()
            households.update(replace(current, wijk=f"Wijk {n}"))
            times.append(time.perf_counter() - started)
            n += 1
            done.wait(0.02)

    thread = threading.Thread(target=saver)
    try:
        thread.start()
        report = service.sync_once()
        done.set()
        thread.join()
        assert report.ok, report.errors
    finally:
        done.set()
        service.close()
        workspace.close()
        shutil.rmtree(workspace.paths.root, ignore_errors=True)
    return max(times) * 1000, statistics.median(times) * 1000, len(times)


# --------------------------------------------------------------------------- the anchor

POUCH_COUNTER_JS = r"""
// Counts the body bytes of every HTTP response of the PouchDB server as sent (express-pouchdb
// gzips its responses) and decoded, and prints them at exit. Loaded with node --require by
// bench/sync.py.
const http = require('http'); const zlib = require('zlib'); const fs = require('fs');
let wire = 0, decoded = 0;
const write = http.ServerResponse.prototype.write, end = http.ServerResponse.prototype.end;
function keep(res, chunk, enc) {
  if (chunk == null || typeof chunk === 'function') return;
  const b = Buffer.isBuffer(chunk) ? chunk
    : Buffer.from(chunk, typeof enc === 'string' ? enc : 'utf8');
  (res.__bench || (res.__bench = [])).push(b);
}
http.ServerResponse.prototype.write = function (c, e, cb) {
  keep(this, c, e); return write.call(this, c, e, cb);
};
http.ServerResponse.prototype.end = function (c, e, cb) {
  keep(this, c, e);
  const body = Buffer.concat(this.__bench || []); this.__bench = null;
  wire += body.length;
  const gz = String(this.getHeader('content-encoding') || '') === 'gzip';
  decoded += gz && body.length ? zlib.gunzipSync(body).length : body.length;
  return end.call(this, c, e, cb);
};
process.on('exit', () => fs.writeSync(
  2, JSON.stringify({bench_wire: wire, bench_decoded: decoded}) + '\n'));
"""


@dataclass
class PouchRun:
    docs: int
    seconds: float
    docs_per_s: float
    idle_ms: float


def pouch(pouch_dir: Path, households: int, records: int,
          preload: Path | None = None) -> tuple[PouchRun, dict[str, int]]:
    command = ["node"]
    if preload is not None:
        command += ["--require", str(preload)]
    command += ["pouch_sync.js", str(households), str(records)]
    result = subprocess.run(command, cwd=pouch_dir, capture_output=True, text=True,
                            timeout=1800, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pouch_sync.js failed: {result.stderr[-2000:]}")
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    counted: dict[str, int] = {}
    for line in result.stderr.splitlines():
        if line.startswith("{") and "bench_wire" in line:
            counted = json.loads(line)
    run = PouchRun(answer["docs"], answer["initial_s"], answer["docs_per_s"],
                   answer["nochange_ms"])
    return run, counted


# --------------------------------------------------------------------------- main


@dataclass
class Results:
    ours: dict[int, list[OurRun]] = field(default_factory=lambda: defaultdict(list))
    pouch: dict[int, list[PouchRun]] = field(default_factory=lambda: defaultdict(list))


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    env_pouch = os.environ.get("WIJKTEAM_POUCH_DIR")
    parser.add_argument("--pouch-dir", type=Path, default=Path(env_pouch) if env_pouch else None,
                        help="folder with pouch_sync.js and its node_modules "
                             "(or env WIJKTEAM_POUCH_DIR)")
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--records", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--idle", type=int, default=15)
    parser.add_argument("--keyring", choices=("real", "memory"), default="real")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-lock-pass", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    pouch_dir: Path | None = args.pouch_dir
    if pouch_dir is not None and not (pouch_dir / "pouch_sync.js").exists():
        parser.error(f"{pouch_dir}/pouch_sync.js not found (see ../shared/anchor-bench)")
    if args.keyring == "real" and os.environ.get(KEYRING_ENV) != "1":
        reexec_in_keyring_session()
    if args.keyring == "memory":
        import keyring

        from tests.helpers.memory_keyring import MemoryKeyring

        keyring.set_keyring(MemoryKeyring())
    else:
        import keyring

        print(f"keyring: {type(keyring.get_keyring()).__name__} (real Secret Service)")
    clock = LockClock()
    results = Results()
    pouch_bytes: dict[int, dict[str, int]] = {}
    our_bytes: dict[int, tuple[int, int]] = {}
    with tempfile.TemporaryDirectory(prefix="wijkteam-bench-sync-") as tmp:
        root = Path(tmp)
        server = start_server(root / "server", args.database_url)
        try:
            print(f"server: {server.base_url} "
                  f"({'PostgreSQL' if args.database_url else 'SQLite'})")
            team = server.team()
            with Session(server.engine) as session:
                from wijkteam_server.models import Team

                team_id = session.scalar(select(Team.id).where(Team.name == team))
            assert team_id is not None
            coach_id = admin.add_user(server.engine, "coach", team, "teamcoach",
                                      SERVER_PASSWORD, display_name="Coach")
            started = time.perf_counter()
            templates, workers = make_templates(root, server, team)
            print(f"12 demo households made and pushed in {time.perf_counter() - started:.1f} s"
                  f" ({sum(len(t) for t in templates)} records)")
            loads: dict[int, Caseload] = {}
            for size in sizes:
                username = f"werker{size}"
                user_id = admin.add_user(server.engine, username, team, "wijkwerker",
                                         SERVER_PASSWORD, display_name=f"Werker {size}")
                load = Caseload(size, username, user_id)
                load.records = fill_caseload(server, templates, workers, team_id, user_id,
                                             coach_id, size, args.records)
                loads[size] = load
                print(f"caseload of {size} households: {load.records} records")
            for round_no in range(args.rounds):
                order = sizes[round_no % len(sizes):] + sizes[:round_no % len(sizes)]
                for turn, size in enumerate(order):
                    sides = ["ours", "pouch"] if (round_no + turn) % 2 == 0 else \
                        ["pouch", "ours"]
                    for side in sides:
                        if side == "ours":
                            run = our_initial_pull(root, server, loads[size], clock, args.idle)
                            results.ours[size].append(run)
                            our_bytes[size] = (run.wire_bytes, run.decoded_bytes)
                            print(f"  round {round_no + 1} {size:>5}: ours  "
                                  f"{run.docs_per_s:7.0f} docs/s ({run.records} in "
                                  f"{run.seconds:.2f} s), no-change {run.idle_ms:.1f} ms, "
                                  f"longest lock hold {run.longest_hold_ms:.0f} ms "
                                  f"in {clock.longest[1]} (p95 {run.hold_p95_ms:.0f} ms of "
                                  f"{run.transactions} transactions)", flush=True)
                        elif pouch_dir is not None:
                            prun, _ = pouch(pouch_dir, size, args.records)
                            results.pouch[size].append(prun)
                            print(f"  round {round_no + 1} {size:>5}: pouch "
                                  f"{prun.docs_per_s:7.0f} docs/s ({prun.docs} in "
                                  f"{prun.seconds:.2f} s), no-change {prun.idle_ms:.1f} ms",
                                  flush=True)
            if pouch_dir is not None:
                preload = root / "count_bytes.js"
                preload.write_text(POUCH_COUNTER_JS, encoding="utf-8")
                for size in sizes:
                    _, counted = pouch(pouch_dir, size, args.records, preload)
                    pouch_bytes[size] = counted
            saves: tuple[float, float, int] | None = None
            if not args.no_lock_pass:
                saves = saves_during_pull(root, server, loads[max(sizes)])
        finally:
            stop_server(server)
    print()
    print(f"Initial pull into a new laptop (encrypted case file), ~{args.records} records per "
          f"household, medians of {args.rounds} interleaved rounds:")
    print("(ratio: ours / PouchDB docs/s, the median of the per-round ratios; >= 1.0 means at "
          "least as fast)")
    print(f"{'households':>10} | {'ours docs/s':>11} | {'PouchDB docs/s':>14} | {'ratio':>5} | "
          f"{'ours no-change':>14} | {'PouchDB no-change':>17} | {'longest lock hold':>17}")
    for size in sizes:
        ours = results.ours[size]
        ours_rate = statistics.median(r.docs_per_s for r in ours)
        ours_idle = statistics.median(r.idle_ms for r in ours)
        hold = max(r.longest_hold_ms for r in ours)
        pouches = results.pouch.get(size, [])
        if pouches:
            p_rate = statistics.median(r.docs_per_s for r in pouches)
            p_idle = statistics.median(r.idle_ms for r in pouches)
            paired = statistics.median(o.docs_per_s / p.docs_per_s
                                       for o, p in zip(ours, pouches, strict=False))
            ratio = f"{paired:5.2f}"
            p_rate_s = f"{p_rate:14.0f}"
            p_idle_s = f"{p_idle:14.1f} ms"
        else:
            ratio, p_rate_s, p_idle_s = "  n/a", f"{'n/a':>14}", f"{'n/a':>17}"
        print(f"{size:>10} | {ours_rate:11.0f} | {p_rate_s} | {ratio} | {ours_idle:11.1f} ms "
              f"| {p_idle_s} | {hold:14.0f} ms")
    print()
    print("Bytes of one initial pull:")
    for size in sizes:
        wire, decoded = our_bytes[size]
        line = f"{size:>10} households: ours {_mb(wire)} on the wire ({_mb(decoded)} JSON)"
        sent = pouch_bytes.get(size)
        if sent:
            line += (f"; PouchDB {_mb(sent['bench_wire'])} on the wire (gzip, "
                     f"{_mb(sent['bench_decoded'])} JSON); ratio "
                     f"{wire / sent['bench_wire']:.2f}")
        print(line)
    if saves is not None:
        longest, median, count = saves
        print()
        print(f"Saves from a second thread during a pull of {max(sizes)} households: {count} "
              f"saves, median {median:.1f} ms, longest {longest:.1f} ms")
    print(f"\n(run on {date.today().isoformat()}, {os.cpu_count()} cores, "
          f"keyring {args.keyring})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
