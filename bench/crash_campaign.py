"""Crash campaign: SIGKILL a writer at random moments during saves, N times, on one case file.

    python bench/crash_campaign.py [--runs 1000] [--seed 11]

Each run starts a writer process on the same encrypted profile. The writer loops over the
kinds of writes the app makes — a new household (several records, one transaction), a
contact moment, a household edit, a view entry in the access log (committed without an fsync
of its own), a draft — and prints the id of each *save* only after it committed
("acknowledged"). The campaign kills it with SIGKILL after a random number of acknowledged
saves plus a random delay of 0-8 ms, so the kill lands anywhere: inside a transaction, in a
commit, in a WAL write, between saves. After every kill it opens the file as the app does and
runs what `wijkteam check` runs (cipher pages, integrity, foreign keys, schema, the audit
hash chain and the outbox/audit pairing), then looks for every acknowledged save.

Prints one line per 50 runs and at the end "lost X of N acknowledged saves" (target 0), the
number of runs whose check failed (target 0) and of runs that could not be opened (target 0).
Exit code 1 if anything was lost or failed. The keyring is a file in the temporary folder
(tests/helpers/file_keyring.py), shared with the writer; the key derivation is the test's
fast one, so a run costs mainly the writer's start-up.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from tests.helpers.file_keyring import ENV_VAR, FileKeyring  # noqa: E402
from wijkteam_app.paths import ProfilePaths  # noqa: E402
from wijkteam_app.services.profile import KdfParams, init_profile, unlock  # noqa: E402

PASSPHRASE = "crash campaign passphrase"  # noqa: S105 - throw-away profile in a temp dir
FAST = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)


# --------------------------------------------------------------------------- the writer


def writer(profile: Path, seed: int) -> None:
    """The child: write forever; print "ACK <kind> <id>" after each committed save."""
    from wijkteam_app.domain.cases import (
        Case,
        CaseStatus,
        ContactKind,
        ContactMoment,
        ReferralSource,
    )
    from wijkteam_app.domain.ids import new_id
    from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
    from wijkteam_app.services.access_log import AccessLogService
    from wijkteam_app.services.drafts import DraftService
    from wijkteam_app.services.households import HouseholdService

    workspace = unlock(ProfilePaths(profile), PASSPHRASE)
    households = HouseholdService(workspace)
    access = AccessLogService(workspace)
    drafts = DraftService(workspace)
    rng = random.Random(seed)
    print("READY", flush=True)
    mine: list[tuple[str, str]] = []  # (household id, case id)
    n = 0
    while True:
        n += 1
        kind = rng.choice(["household", "household", "contact", "edit", "view", "draft"])
        if kind == "household" or not mine:
            h = Household(new_id(), f"Huishouden Crash {seed}-{n}",
                          Address("Proefstraat", n % 900 + 1, "", "1234 AB", "Voorbeeldstad"),
                          "Noord")
            people = [Person(new_id(), h.id, f"Anouk{i}", "Proef", HouseholdRole.HUISGENOOT,
                             birth_date=date(1980 + i, 1, 1)) for i in range(rng.randint(1, 4))]
            households.create(h, people)
            case = Case(new_id(), h.id, workspace.team.id, workspace.actor_id,
                        CaseStatus.AANGEMELD, ReferralSource.INWONER, date(2026, 1, 5))
            households.save_case(case)
            mine.append((h.id, case.id))
            print(f"ACK household {h.id}", flush=True)
        elif kind == "contact":
            household_id, case_id = rng.choice(mine)
            contact = ContactMoment(new_id(), case_id, date(2026, 2, 1), 30,
                                    ContactKind.HUISBEZOEK, workspace.actor_id, "", f"n{n}")
            households.save_contact(contact)
            print(f"ACK contact {contact.id}", flush=True)
        elif kind == "edit":
            household_id, _case = rng.choice(mine)
            current = households.get(household_id).household
            name = f"Huishouden Gewijzigd {seed}-{n}"
            households.update(replace(current, name=name))
            print(f"ACK edit {household_id}:{name}", flush=True)
        elif kind == "view":
            access.viewed_household(rng.choice(mine)[0])  # no fsync: not acknowledged
        else:
            drafts.keep("intake:new", "intake", "Nieuwe aanmelding", {"n": n})


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


def run_child(profile: Path, seed: int, env: dict[str, str],
              rng: random.Random) -> tuple[list[tuple[str, str]], bool]:
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", str(profile), "--seed", str(seed)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    acknowledged: list[tuple[str, str]] = []
    target = rng.randint(0, 25)
    ready = child.stdout.readline().strip() == "READY"
    if ready:
        for line in child.stdout:
            parts = line.strip().split(" ", 2)
            if len(parts) == 3 and parts[0] == "ACK":
                acknowledged.append((parts[1], parts[2]))
            if len(acknowledged) >= target:
                break
        time.sleep(rng.random() * 0.008)  # land anywhere inside the next saves
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    # Lines printed before the kill were acknowledged too.
    for line in child.stdout:
        parts = line.strip().split(" ", 2)
        if len(parts) == 3 and parts[0] == "ACK":
            acknowledged.append((parts[1], parts[2]))
    child.stdout.close()
    if child.stderr:
        child.stderr.close()
    return acknowledged, ready


def campaign(runs: int, seed: int) -> int:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="wijkteam-crash-") as tmp:
        keyring_file = Path(tmp) / "keyring.json"
        os.environ[ENV_VAR] = str(keyring_file)
        keyring.set_keyring(FileKeyring(keyring_file))
        profile = Path(tmp) / "profiel"
        init_profile(ProfilePaths(profile), PASSPHRASE, kdf=FAST)
        env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
        env.update({"PYTHON_KEYRING_BACKEND": "tests.helpers.file_keyring.FileKeyring",
                    ENV_VAR: str(keyring_file),
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                               env.get("PYTHONPATH")]))})
        total_ack = lost = failed_checks = unopened = 0
        started = time.monotonic()
        for run in range(1, runs + 1):
            acknowledged, ready = run_child(profile, seed * 100_000 + run, env, rng)
            if not ready:
                unopened += 1
            total_ack += len(acknowledged)
            run_lost, problems = verify(profile, acknowledged)
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
    return 1 if lost or failed_checks or unopened else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        writer(args.child, args.seed)
        return 0
    return campaign(args.runs, args.seed)


if __name__ == "__main__":
    raise SystemExit(main())
