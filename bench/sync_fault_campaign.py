"""Sync fault campaign: three laptops and the server through a loopback proxy that drops,
delays and cuts connections at random points. N runs.

    python bench/sync_fault_campaign.py [--runs 500] [--rounds 4] [--seed 5] [--workers 4]

One real `wijkteam-server` (SQLite, a temporary folder) for the whole campaign; per run a new
team with three workers, each on its own in-process laptop (real encrypted case file, real
sync service and HTTP client), all talking to the server only through `FaultProxy`, a TCP
proxy on loopback. Per connection the proxy picks: refuse it, cut it after a random number of
bytes of the requests or of the answers, delay every chunk (0-150 ms), or pass it — and even
a passed, kept-alive connection is cut after a random 5-100 kB of answers. So requests die
before, during or after the server handled them, and answers get lost halfway.

Runs are independent (their own team, accounts, laptops and folder, removed afterwards), so
`--workers` processes run them side by side against the one server, each with its own proxy:
a run spends most of its time waiting (on the proxy's delays, on the server, on fsyncs), and
a single run at a time used about a quarter of the 2-core machine. Every run draws its edits
and its proxy's faults from its own generator seeded with (seed, run), so a run draws the same
whichever worker runs it and whatever ran before (timing aside). `--workers 1` runs them one
after the other.

In each round every laptop makes a few edits and syncs once (failures are expected and
ignored): new households with a case whose case team is the other two workers (so all three
laptops see every household), contact moments (inserts), and edits of "its own" household
field (laptop 0 the street, 1 the city, 2 the house number), so concurrent edits merge per
field instead of conflicting. Then the faults stop and every laptop syncs until nothing moves.

Counted per run, printed at the end:
- **edits lost**: an acknowledged local save that is not in the final state (a household or
  contact moment missing on the server or on any laptop, or a field whose last edit by its
  owner is not what everybody holds);
- **duplicates**: a record the server holds twice (the same contact note under two ids) or
  a change-set applied twice;
- **runs that did not converge**: a laptop whose households, contacts or fields differ from
  the server's after settling.
Exit code 1 when any of the three is not 0.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import multiprocessing
import random
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from tests.helpers.memory_keyring import MemoryKeyring  # noqa: E402
from tests.server.conftest import Server, start_server, stop_server  # noqa: E402
from tests.sync.conftest import Laptop  # noqa: E402
from wijkteam_app.domain.cases import (  # noqa: E402
    Case,
    CaseStatus,
    ContactKind,
    ContactMoment,
    ReferralSource,
)
from wijkteam_app.domain.ids import new_id  # noqa: E402
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person  # noqa: E402
from wijkteam_app.persistence.schema import (  # noqa: E402
    ContactMomentRecord,
    HouseholdRecord,
)
from wijkteam_server import admin  # noqa: E402
from wijkteam_server.models import AppliedChangeSet, EntityRow  # noqa: E402

OWNED_FIELD = ("street", "city", "house_number")


# --------------------------------------------------------------------------- the proxy


class FaultProxy:
    """A TCP proxy on loopback with random faults per connection (when `faults` is on)."""

    def __init__(self, target_port: int, rng: random.Random) -> None:
        self.target_port = target_port
        self.rng = rng
        self.faults = False
        self.stats: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop = True
        with contextlib.suppress(OSError):
            self._listener.close()

    def _plan(self) -> tuple[str, int, float]:
        """(mode, byte offset of the cut or 0, delay per chunk)."""
        with self._lock:
            if not self.faults:
                return "clean", 0, 0.0
            roll = self.rng.random()
            cut_at = self.rng.randint(0, 12_000)
            delay = self.rng.random() * 0.15
        if roll < 0.08:
            return "refuse", 0, 0.0
        if roll < 0.22:
            return "cut_request", cut_at, 0.0
        if roll < 0.40:
            return "cut_answer", cut_at, 0.0
        if roll < 0.55:
            return "delay", 0, delay
        # Kept-alive connections die too, at a random later point.
        return "clean", self.rng.randint(5_000, 100_000), 0.0

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            mode, cut_at, delay = self._plan()
            self.stats[mode] += 1
            if mode == "refuse":
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            done = threading.Event()
            limits = {"up": cut_at if mode == "cut_request" else -1,
                      "down": cut_at if mode in ("cut_answer", "clean") and cut_at else -1}
            for source, target, name in ((client, upstream, "up"), (upstream, client, "down")):
                threading.Thread(target=self._pipe, daemon=True,
                                 args=(source, target, limits[name], delay, done,
                                       (client, upstream))).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket, limit: int, delay: float,
              done: threading.Event, both: tuple[socket.socket, socket.socket]) -> None:
        sent = 0
        try:
            while not done.is_set():
                data = source.recv(65536)
                if not data:
                    break
                if delay:
                    time.sleep(delay)
                if limit >= 0 and sent + len(data) >= limit:
                    target.sendall(data[: max(0, limit - sent)])
                    break  # cut: the rest never arrives
                target.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            done.set()
            for sock in both:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()


# --------------------------------------------------------------------------- a run


@dataclass
class Expected:
    households: set[str] = field(default_factory=set)
    contacts: dict[str, str] = field(default_factory=dict)  # id -> note
    owned: dict[tuple[str, int], Any] = field(default_factory=dict)  # (household, laptop)
    cases: dict[str, str] = field(default_factory=dict)  # household -> case id


@dataclass
class Outcome:
    lost: int = 0
    duplicates: int = 0
    converged: bool = True
    acknowledged: int = 0


class Endpoint:
    """What `Laptop` needs of a server: where to log in (here: the proxy)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url


def edit(laptop: Laptop, index: int, others: list[str], expected: Expected,
         rng: random.Random, run: int, counter: list[int]) -> None:
    counter[0] += 1
    n = counter[0]
    choice = rng.random()
    households = sorted(expected.households)
    if choice < 0.3 or not households:
        h = Household(new_id(), f"Huishouden Storing {run}-{n}",
                      Address("Proefstraat", 1, "", "1234 AB", "Voorbeeldstad"), "Noord")
        laptop.households.create(h, [Person(new_id(), h.id, "Anouk", "Storing",
                                            HouseholdRole.HOOFDBEWONER,
                                            birth_date=date(1980, 1, 1))])
        case = Case(new_id(), h.id, laptop.team_id, laptop.user_id, CaseStatus.AANGEMELD,
                    ReferralSource.INWONER, date(2026, 1, 5), case_team_ids=tuple(others))
        laptop.households.save_case(case)
        expected.households.add(h.id)
        expected.cases[h.id] = case.id
        return
    household_id = rng.choice(households)
    if not laptop.has_household(household_id):
        return  # not pulled yet: this laptop cannot edit it
    if choice < 0.65:
        note = f"contact {run}-{n}"
        contact = ContactMoment(new_id(), expected.cases[household_id], date(2026, 2, 1), 20,
                                ContactKind.TELEFONISCH, laptop.user_id, "", note)
        laptop.households.save_contact(contact)
        expected.contacts[contact.id] = note
        return
    current = laptop.household(household_id)
    name = OWNED_FIELD[index]
    value: Any = f"{name} {run}-{n}" if name != "house_number" else n
    address = replace(current.address, **{name: value})
    laptop.households.update(replace(current, address=address))
    expected.owned[(household_id, index)] = value


def laptop_state(laptop: Laptop, households: set[str]) -> dict[str, Any]:
    with laptop.workspace.casefile.read() as session:
        rows = {r.id: (r.street, r.city, r.house_number) for r in session.scalars(
            select(HouseholdRecord).where(HouseholdRecord.id.in_(households)))}
        contacts = {r.id: r.notes for r in session.scalars(
            select(ContactMomentRecord).where(ContactMomentRecord.household_id.in_(households)))}
    return {"households": rows, "contacts": contacts}


def server_state(server: Server, households: set[str]) -> tuple[dict[str, Any], int]:
    with Session(server.engine) as session:
        rows = session.scalars(select(EntityRow).where(
            EntityRow.household_id.in_(households), EntityRow.deleted.is_(False))).all()
        state = {
            "households": {r.entity_id: (r.data["street"], r.data["city"],
                                         r.data["house_number"])
                           for r in rows if r.entity == "household"},
            "contacts": {r.entity_id: r.data["notes"] for r in rows
                         if r.entity == "contact_moment"},
        }
        applied = Counter(session.scalars(select(AppliedChangeSet.id)))
    return state, sum(c - 1 for c in applied.values() if c > 1)


def one_run(server: Server, proxy: FaultProxy, tmp: Path, run: int, rounds: int,
            rng: random.Random) -> Outcome:
    team = server.team()
    accounts = [server.account(team) for _ in range(3)]
    proxy.faults = False
    endpoint = Endpoint(proxy.url)
    laptops = [Laptop(tmp, endpoint, a) for a in accounts]  # type: ignore[arg-type]
    expected = Expected()
    counter = [0]
    outcome = Outcome()
    try:
        ids = [lp.user_id for lp in laptops]
        proxy.faults = True
        for _round in range(rounds):
            for index, laptop in enumerate(laptops):
                for _ in range(rng.randint(1, 3)):
                    edit(laptop, index, [i for i in ids if i != laptop.user_id], expected,
                         rng, run, counter)
                laptop.sync.sync_once()  # may fail anywhere: that is the point
        outcome.acknowledged = counter[0]
        proxy.faults = False
        for _ in range(6):  # settle: until nothing moves
            moved = 0
            for laptop in laptops:
                report = laptop.sync.sync_once()
                moved += report.pushed + report.pulled
            if not moved:
                break
        truth, outcome.duplicates = server_state(server, expected.households)
        notes = Counter(truth["contacts"].values())
        outcome.duplicates += sum(c - 1 for c in notes.values() if c > 1)
        outcome.lost += len(expected.households - set(truth["households"]))
        outcome.lost += len(set(expected.contacts) - set(truth["contacts"]))
        for (household_id, index), value in expected.owned.items():
            held = truth["households"].get(household_id)
            if held is not None and held[index] != value:
                outcome.lost += 1
        for laptop in laptops:
            if laptop_state(laptop, expected.households) != truth:
                outcome.converged = False
    finally:
        for laptop in laptops:
            laptop.close()
    return outcome


# --------------------------------------------------------------------------- the workers

WORKERS = 4  # runs side by side (see the module's docstring)
RUN_TIMEOUT = 900.0  # seconds without any run finishing before the campaign gives up


@dataclass
class Setting:
    """What a worker process needs to run runs: the campaign's server and parameters."""

    data_dir: Path
    database_url: str
    port: int
    root: Path  # the runs' folders go here
    rounds: int
    seed: int


_worker: dict[str, Any] = {}  # this worker process's server handle and proxy


def _start_worker() -> None:
    """A worker process (a new interpreter: it shares nothing with the campaign's)."""
    keyring.set_keyring(MemoryKeyring())
    # Every account gets the same password, so one real Argon2id hash of it (argon2-cffi's
    # default cost, as `add_user` makes it) serves them all: the server still checks it in
    # full at every login; only the campaign's own hashing per account is saved.
    admin.hash_password = functools.cache(admin.hash_password)  # type: ignore[attr-defined]


def _run_in_worker(task: tuple[Setting, int]) -> tuple[int, Outcome, Counter[str]]:
    setting, run = task
    if "proxy" not in _worker:
        # A handle on the shared server (its database, for set-up and for reading the final
        # state, as the campaign always did) and a proxy of this worker's own.
        _worker["server"] = Server(setting.data_dir, setting.database_url, setting.port,
                                   None)  # type: ignore[arg-type] # the campaign's process
        _worker["proxy"] = FaultProxy(setting.port, random.Random())
    proxy: FaultProxy = _worker["proxy"]
    proxy.faults = False
    proxy.rng = random.Random(f"{setting.seed}:{run}:proxy")
    proxy.stats = Counter()
    rng = random.Random(f"{setting.seed}:{run}:edits")
    run_dir = setting.root / f"run-{run}"
    run_dir.mkdir()
    try:
        outcome = one_run(_worker["server"], proxy, run_dir, run, setting.rounds, rng)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    return run, outcome, proxy.stats


def campaign(runs: int, rounds: int, seed: int, workers: int = WORKERS) -> int:
    lost = duplicates = unconverged = acknowledged = done = 0
    stats: Counter[str] = Counter()
    started = time.monotonic()
    workers = max(1, min(workers, runs))
    # "spawn": the workers are new interpreters; they load the app while the server starts.
    pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_start_worker)
    try:
        with tempfile.TemporaryDirectory(prefix="wijkteam-syncfault-") as tmp:
            server = start_server(Path(tmp) / "server", None)
            try:
                setting = Setting(server.data_dir, server.database_url, server.port,
                                  Path(tmp), rounds, seed)
                results = pool.imap_unordered(_run_in_worker,
                                              [(setting, run) for run in range(1, runs + 1)])
                for _ in range(runs):
                    # A run takes seconds; a worker that died would leave its run unanswered.
                    run, result, proxy_stats = results.next(timeout=RUN_TIMEOUT)
                    done += 1
                    lost += result.lost
                    duplicates += result.duplicates
                    unconverged += 0 if result.converged else 1
                    acknowledged += result.acknowledged
                    stats.update(proxy_stats)
                    if not result.converged or result.lost or result.duplicates:
                        print(f"run {run}: lost {result.lost}, duplicates "
                              f"{result.duplicates}, converged {result.converged}", flush=True)
                    if done % 25 == 0 or done == runs:
                        print(f"{done}/{runs} runs, {acknowledged} edits, proxy "
                              f"{dict(stats)} ({time.monotonic() - started:.0f} s)", flush=True)
            finally:
                pool.terminate()  # the workers' proxies and laptops go with them
                pool.join()
                stop_server(server)
    finally:
        pool.terminate()
    elapsed = time.monotonic() - started
    print(f"edits lost: {lost} of {acknowledged}")
    print(f"duplicates: {duplicates}")
    print(f"runs that did not converge: {unconverged} of {runs}")
    print(f"{runs} runs in {elapsed:.0f} s with {workers} workers ({elapsed / runs:.1f} s per run)")
    return 1 if lost or duplicates or unconverged else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--workers", type=int, default=WORKERS,
                        help="runs side by side, each worker with its own proxy (1: in turn)")
    args = parser.parse_args()
    return campaign(args.runs, args.rounds, args.seed, args.workers)


if __name__ == "__main__":
    raise SystemExit(main())
