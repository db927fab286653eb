"""Crash campaign: SIGKILL a writer at random moments during saves, N times.

    python bench/crash_campaign.py [--runs 1000] [--seed 11] [--runs-per-file 200]

Each run starts a writer process (bench/crash_writer.py) on an encrypted profile. The writer
loops over the kinds of writes the app makes — a new household (several records, one
transaction), a contact moment, a household edit, a view entry in the access log (committed
without an fsync of their own), a draft — and reports the id of each *save* through a pipe
only after it committed ("acknowledged"). The campaign kills it with SIGKILL after a random
number of acknowledged saves plus a random delay of 0-8 ms, so the kill lands anywhere:
inside a transaction, in a commit, in a WAL write, between saves. After every kill it opens
the file as the app does and runs what `wijkteam check` runs (cipher pages, integrity,
foreign keys, schema, the audit hash chain and the outbox/audit pairing), then looks for
every acknowledged save. The runs share one profile until `--runs-per-file` runs have been
made on it; then the campaign starts on a new one (0: one profile for all runs).

Prints one line per 50 runs and at the end "lost X of N acknowledged saves" (target 0), the
number of runs whose check failed (target 0), of runs whose writer never got the profile open
(target 0) and of writers that stopped by themselves before the kill (target 0), and the mean
time per phase. Exit code 1 if anything was lost or failed. The keyring is a file in the
temporary folder (tests/helpers/file_keyring.py), shared with the writer; the key derivation
is the test's fast one.

Writers are started by a fork server (multiprocessing's "forkserver"): one fresh Python
process that imports bench/crash_writer.py (the app's modules) once and never opens the case
file or the keyring; every writer is forked from it with those modules already loaded, then
unlocks the profile itself (its own key derivation, integrity check and database connection).
So a run no longer pays Python's and the app's start-up (about 0.6 s of a 0.9 s run when the
writer was a new interpreter).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from bench.crash_writer import KINDS, writer  # noqa: E402
from tests.helpers.file_keyring import ENV_VAR, FileKeyring  # noqa: E402
from wijkteam_app.paths import ProfilePaths  # noqa: E402
from wijkteam_app.services.profile import KdfParams, init_profile, unlock  # noqa: E402

PASSPHRASE = "crash campaign passphrase"  # noqa: S105 - throw-away profile in a temp dir
FAST = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)
# A new profile every 200 runs: each file sees what the whole campaign of 2026-12-04 did
# (200 kills; the file grows to ~14 MB, ~1,150 households, several times a real caseload).
# The check after every kill reads the whole file (~40 ms per MB), so one file for all
# 1,000 runs would make the campaign quadratic: ~2.3 s per check at the end (~60 MB).
RUNS_PER_FILE = 200


# --------------------------------------------------------------------------- the campaign


def verify(profile: Path, acknowledged: list[tuple[str, str]]) -> tuple[int, list[str]]:
    """(lost acknowledged saves, check problems) after a kill."""
    from sqlalchemy import select

    from wijkteam_app.persistence.schema import ContactMomentRecord, HouseholdRecord
    from wijkteam_app.services.maintenance import check_profile

    paths = ProfilePaths(profile)
    report = check_profile(paths, PASSPHRASE)  # what `wijkteam check` runs
    workspace = unlock(paths, PASSPHRASE)
    lost = 0
    try:
        with workspace.casefile.read() as session:
            households = dict(session.execute(select(HouseholdRecord.id,
                                                     HouseholdRecord.name)).all())
            contacts = set(session.scalars(select(ContactMomentRecord.id)))
        last_edit: dict[str, str] = {}
        for kind, value in acknowledged:
            if (kind == "household" and value not in households) or (
                    kind == "contact" and value not in contacts):
                lost += 1
            elif kind == "edit":
                household_id, name = value.split(":", 1)
                last_edit[household_id] = name
        # The last acknowledged edit of a household must be there, or an edit after it (the
        # one in flight when the writer was killed may have committed).
        for household_id, name in last_edit.items():
            stored = households.get(household_id, "")
            if stored != name and _edit_number(stored) <= _edit_number(name):
                lost += 1
    finally:
        workspace.close()
    return lost, report.problems


def _edit_number(name: str) -> int:
    """n of 'Huishouden Gewijzigd <seed>-<n>' (-1 for any other name)."""
    if not name.startswith("Huishouden Gewijzigd "):
        return -1
    return int(name.rsplit("-", 1)[1])


def _ack(message: bytes) -> tuple[str, str] | None:
    kind, _, value = message.decode().partition(" ")
    return (kind, value) if kind in KINDS and value else None


@dataclass
class Timing:
    """Seconds spent per phase, summed over the runs (printed as a mean per run)."""

    start: float = 0.0  # fork until the writer has unlocked the profile ("READY")
    saves: float = 0.0  # READY until the kill (the saves themselves)
    check: float = 0.0  # the check after the kill: `wijkteam check`, open, look for saves
    new_file: float = 0.0  # creating the next profile (every --runs-per-file runs)

    def line(self, runs: int) -> str:
        per = {k: 1000 * v / max(1, runs) for k, v in vars(self).items()}
        return ("per run (ms): writer start {start:.0f}, saves until the kill {saves:.0f}, "
                "check {check:.0f}, new profile {new_file:.0f}".format(**per))


def run_child(ctx: multiprocessing.context.ForkServerContext, profile: Path, seed: int,
              keyring_file: Path, rng: random.Random,
              timing: Timing) -> tuple[list[tuple[str, str]], bool, bool]:
    """One writer, killed at a random moment: (acknowledged saves, started, killed by us)."""
    began = time.monotonic()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=writer, args=(profile, PASSPHRASE, seed, keyring_file, sender),
                        daemon=True)
    child.start()
    sender.close()  # only the writer holds the sending end: its death ends the pipe
    acknowledged: list[tuple[str, str]] = []
    target = rng.randint(0, 25)
    ready = False
    ready_at = began
    try:
        ready = receiver.recv_bytes() == b"READY"
        ready_at = time.monotonic()
        while ready and len(acknowledged) < target:
            ack = _ack(receiver.recv_bytes())
            if ack:
                acknowledged.append(ack)
    except EOFError:
        pass  # the writer died by itself: counted by the caller
    if ready:
        time.sleep(rng.random() * 0.008)  # land anywhere inside the next saves
    child.kill()  # SIGKILL
    child.join(timeout=30)
    killed = child.exitcode == -signal.SIGKILL
    # Messages written before the kill were acknowledged too.
    try:
        while True:
            ack = _ack(receiver.recv_bytes())
            if ack:
                acknowledged.append(ack)
    except EOFError:
        pass
    receiver.close()
    child.close()
    timing.start += ready_at - began
    timing.saves += time.monotonic() - ready_at
    return acknowledged, ready, killed


def campaign(runs: int, seed: int, runs_per_file: int = RUNS_PER_FILE) -> int:
    rng = random.Random(seed)
    timing = Timing()
    with tempfile.TemporaryDirectory(prefix="wijkteam-crash-") as tmp:
        keyring_file = Path(tmp) / "keyring.json"
        os.environ[ENV_VAR] = str(keyring_file)
        # Neither this process nor the fork server (which inherits this environment) may
        # reach the real Secret Service: the keyring is the file, set explicitly.
        os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        keyring.set_keyring(FileKeyring(keyring_file))
        # The fork server is a new interpreter (not a fork of this process, which opens the
        # case file to check it): it imports the writer's modules and forks each writer.
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["bench.crash_writer"])
        total_ack = lost = failed_checks = unopened = died = 0
        profile = Path(tmp) / "profiel-1"
        started = time.monotonic()
        for run in range(1, runs + 1):
            if run == 1 or (runs_per_file and (run - 1) % runs_per_file == 0):
                began = time.monotonic()
                shutil.rmtree(profile, ignore_errors=True)
                profile = Path(tmp) / f"profiel-{run}"
                init_profile(ProfilePaths(profile), PASSPHRASE, kdf=FAST)
                timing.new_file += time.monotonic() - began
            acknowledged, ready, killed = run_child(ctx, profile, seed * 100_000 + run,
                                                    keyring_file, rng, timing)
            if not ready:
                unopened += 1
            elif not killed:
                died += 1
                print(f"run {run}: the writer stopped before it was killed", flush=True)
            total_ack += len(acknowledged)
            began = time.monotonic()
            run_lost, problems = verify(profile, acknowledged)
            timing.check += time.monotonic() - began
            lost += run_lost
            if problems:
                failed_checks += 1
                print(f"run {run}: check failed: {'; '.join(problems)}", flush=True)
            if run % 50 == 0 or run == runs:
                print(f"{run}/{runs} runs, {total_ack} acknowledged saves, {lost} lost, "
                      f"{failed_checks} failed checks ({time.monotonic() - started:.0f} s)",
                      flush=True)
    print(f"lost {lost} of {total_ack} acknowledged saves")
    print(f"runs whose check failed: {failed_checks} of {runs}; writer never started: "
          f"{unopened}")
    print(f"writers that stopped before the kill: {died}")
    print(timing.line(runs))
    return 1 if lost or failed_checks or unopened or died else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--runs-per-file", type=int, default=RUNS_PER_FILE,
                        help="start a new profile after this many runs (0: one file for all)")
    args = parser.parse_args()
    return campaign(args.runs, args.seed, args.runs_per_file)


if __name__ == "__main__":
    raise SystemExit(main())
