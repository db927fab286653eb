"""The writer of the crash campaign (bench/crash_campaign.py), and what its fork server loads.

The campaign starts one fork server (multiprocessing's "forkserver": a new interpreter, not a
fork of the campaign) that imports this module once; every writer is then forked from it
with the app's modules loaded and SQLAlchemy's mappers configured (about 0.6 s of Python
and app start-up, and some 50 ms of mapper set-up, that a run no longer pays). Importing
this module opens nothing: no case file, no database connection, no keyring. The writer
opens all of that itself, after the fork, exactly as the app does (`unlock`).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path

import keyring
import sqlalchemy.dialects.sqlite  # noqa: F401 - loaded by the first create_engine()
from sqlalchemy.orm import configure_mappers

import wijkteam_app.services.key_recovery  # noqa: F401 - imported by unlock() on first use
from tests.helpers.file_keyring import FileKeyring
from wijkteam_app.domain.cases import (
    Case,
    CaseStatus,
    ContactKind,
    ContactMoment,
    ReferralSource,
)
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.access_log import AccessLogService
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import unlock

# In memory only (the ORM's class mappings): done once here instead of in every writer.
configure_mappers()

KINDS = ("household", "contact", "edit")  # the acknowledged kinds of save


def writer(profile: Path, passphrase: str, seed: int, keyring_file: Path,
           acks: Connection) -> None:
    """Write forever; send b"<kind> <value>" down `acks` after each committed save.

    Runs in a process forked from the fork server, so everything that touches the case file
    or the keyring is opened here, after the fork. A message is written to the pipe only
    after the save's call returned, i.e. after its transaction committed; a message whose
    write returned stays readable by the campaign after a SIGKILL. (One small write per
    message, below the pipe's atomic size: a kill never leaves half a message.)"""
    keyring.set_keyring(FileKeyring(keyring_file))
    workspace = unlock(ProfilePaths(profile), passphrase)
    households = HouseholdService(workspace)
    access = AccessLogService(workspace)
    drafts = DraftService(workspace)
    rng = random.Random(seed)
    acks.send_bytes(b"READY")
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
            acks.send_bytes(f"household {h.id}".encode())
        elif kind == "contact":
            household_id, case_id = rng.choice(mine)
            contact = ContactMoment(new_id(), case_id, date(2026, 2, 1), 30,
                                    ContactKind.HUISBEZOEK, workspace.actor_id, "", f"n{n}")
            households.save_contact(contact)
            acks.send_bytes(f"contact {contact.id}".encode())
        elif kind == "edit":
            household_id, _case = rng.choice(mine)
            current = households.get(household_id).household
            name = f"Huishouden Gewijzigd {seed}-{n}"
            households.update(replace(current, name=name))
            acks.send_bytes(f"edit {household_id}:{name}".encode())
        elif kind == "view":
            access.viewed_household(rng.choice(mine)[0])  # no fsync: not acknowledged
        else:
            drafts.keep("intake:new", "intake", "Nieuwe aanmelding", {"n": n})
