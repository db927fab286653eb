"""Table models for the household page: members, network, professionals, contact moments,
consents and the case history.

Each model is a `RowTableModel` (see `row_model`) over plain (frozen) domain objects: it sorts
itself (`sort()`), so views need no proxy model, `set_rows()` replaces everything with a model
reset and keeps the chosen sort order, and the row's domain object is available through
`item(row)` and its id through `ObjectIdRole`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, QObject

from wijkteam_app.domain.cases import Case, CaseStatus, Consent, ContactMoment
from wijkteam_app.domain.people import NetworkMember, Person, Professional
from wijkteam_app.ui.labels import (
    consent_form_label,
    contact_kind_label,
    duration_label,
    referral_label,
    role_label,
    status_label,
)
from wijkteam_app.ui.models.row_model import RIGHT, ColumnSpec, RowTableModel, date_key, text_key
from wijkteam_app.ui.widgets.fields import format_dutch_date

_CONTEXT = "household_models"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def mask_bsn(bsn: str) -> str:
    """Only the last three digits are shown: '******782'. Empty when unknown."""
    digits = bsn.strip()
    if not digits:
        return ""
    return "*" * max(len(digits) - 3, 0) + digits[-3:]


# --- members -------------------------------------------------------------------------------

class MembersModel(RowTableModel[Person]):
    """The household's members: naam, leeftijd, geboortedatum, rol, BSN (masked), gezag."""

    def __init__(self, rows: Sequence[Person] = (), today: date | None = None,
                 parent: QObject | None = None) -> None:
        self._today = today or date.today()
        self._names: dict[str, str] = {}
        super().__init__(rows, parent)
        self._columns: list[ColumnSpec[Person]] = [
            ColumnSpec(_tr("Naam"), lambda p: p.full_name,
                       lambda p: (p.last_name.casefold(), p.first_name.casefold())),
            ColumnSpec(_tr("Leeftijd"), self._age_text,
                       lambda p: (p.birth_date is None,
                                  -(p.birth_date.toordinal() if p.birth_date else 0)), RIGHT),
            ColumnSpec(_tr("Geboortedatum"), lambda p: format_dutch_date(p.birth_date),
                       lambda p: date_key(p.birth_date)),
            ColumnSpec(_tr("Rol"), lambda p: role_label(p.household_role),
                       lambda p: list(type(p.household_role)).index(p.household_role)),
            ColumnSpec(_tr("BSN"), lambda p: mask_bsn(p.bsn) or _tr("onbekend"),
                       lambda p: text_key(p.bsn[-3:]), muted=lambda p: not p.bsn),
            ColumnSpec(_tr("Gezag"), self.gezag_text, lambda p: text_key(self.gezag_text(p))),
        ]

    def columns(self) -> Sequence[ColumnSpec[Person]]:
        return self._columns

    def set_rows(self, rows: Sequence[Person]) -> None:
        self._names = {p.id: p.full_name for p in rows}
        super().set_rows(rows)

    def set_today(self, today: date) -> None:
        self._today = today

    def _age_text(self, person: Person) -> str:
        age = person.age_on(self._today)
        return "" if age is None else str(age)

    def gezag_text(self, person: Person) -> str:
        """'Gezag: Anouk Voorbeeld, Bram Voorbeeld' for a minor; empty otherwise."""
        if not person.is_minor_on(self._today):
            return ""
        names = [self._names.get(h, "") for h in person.gezag_holder_ids]
        names = [n for n in names if n]
        if person.gezag_note:
            names.append(person.gezag_note)
        if not names:
            return _tr("Gezag: niet vastgelegd")
        return _tr("Gezag: %1").replace("%1", ", ".join(names))


# --- network -------------------------------------------------------------------------------

class NetworkModel(RowTableModel[NetworkMember]):
    def __init__(self, rows: Sequence[NetworkMember] = (), parent: QObject | None = None
                 ) -> None:
        super().__init__(rows, parent)
        self._columns: list[ColumnSpec[NetworkMember]] = [
            ColumnSpec(_tr("Naam"), lambda m: m.name, lambda m: text_key(m.name)),
            ColumnSpec(_tr("Relatie"), lambda m: m.relation, lambda m: text_key(m.relation)),
            ColumnSpec(_tr("Wat doet hij of zij"), lambda m: m.support,
                       lambda m: text_key(m.support)),
            ColumnSpec(_tr("Telefoon"), lambda m: m.phone, lambda m: text_key(m.phone)),
        ]

    def columns(self) -> Sequence[ColumnSpec[NetworkMember]]:
        return self._columns


# --- professionals -------------------------------------------------------------------------

class ProfessionalsModel(RowTableModel[Professional]):
    def __init__(self, rows: Sequence[Professional] = (), parent: QObject | None = None
                 ) -> None:
        super().__init__(rows, parent)
        self._columns: list[ColumnSpec[Professional]] = [
            ColumnSpec(_tr("Organisatie"), lambda p: p.organisation,
                       lambda p: text_key(p.organisation)),
            ColumnSpec(_tr("Naam"), lambda p: p.name, lambda p: text_key(p.name)),
            ColumnSpec(_tr("Discipline"), lambda p: p.discipline,
                       lambda p: text_key(p.discipline)),
            ColumnSpec(_tr("Contact"), lambda p: p.contact, lambda p: text_key(p.contact)),
            ColumnSpec(_tr("Betrokken sinds"), lambda p: format_dutch_date(p.since),
                       lambda p: date_key(p.since)),
        ]

    def columns(self) -> Sequence[ColumnSpec[Professional]]:
        return self._columns


# --- contact moments -----------------------------------------------------------------------

def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 120 else line[:119] + "…"


class ContactsModel(RowTableModel[ContactMoment]):
    def __init__(self, rows: Sequence[ContactMoment] = (),
                 worker_names: dict[str, str] | None = None,
                 parent: QObject | None = None) -> None:
        self._workers = dict(worker_names or {})
        super().__init__(rows, parent)
        self._columns: list[ColumnSpec[ContactMoment]] = [
            ColumnSpec(_tr("Datum"), lambda c: format_dutch_date(c.on), lambda c: c.on),
            ColumnSpec(_tr("Duur"), lambda c: duration_label(c.duration_minutes),
                       lambda c: c.duration_minutes, RIGHT),
            ColumnSpec(_tr("Soort"), lambda c: contact_kind_label(c.kind),
                       lambda c: contact_kind_label(c.kind).casefold()),
            ColumnSpec(_tr("Met wie"), lambda c: c.with_whom, lambda c: text_key(c.with_whom)),
            ColumnSpec(_tr("Medewerker"), lambda c: self._workers.get(c.worker_id, ""),
                       lambda c: text_key(self._workers.get(c.worker_id, ""))),
            ColumnSpec(_tr("Notitie"), lambda c: _first_line(c.notes),
                       lambda c: text_key(c.notes)),
        ]

    def columns(self) -> Sequence[ColumnSpec[ContactMoment]]:
        return self._columns

    def set_worker_names(self, names: dict[str, str]) -> None:
        self._workers = dict(names)


# --- consents ------------------------------------------------------------------------------

class ConsentsModel(RowTableModel[Consent]):
    def __init__(self, rows: Sequence[Consent] = (), person_names: dict[str, str] | None = None,
                 today: date | None = None, parent: QObject | None = None) -> None:
        self._people = dict(person_names or {})
        self._today = today or date.today()
        super().__init__(rows, parent)
        self._columns: list[ColumnSpec[Consent]] = [
            ColumnSpec(_tr("Van"), lambda c: self._people.get(c.person_id, ""),
                       lambda c: text_key(self._people.get(c.person_id, ""))),
            ColumnSpec(_tr("Ontvanger"), lambda c: c.recipient,
                       lambda c: text_key(c.recipient), muted=self._inactive),
            ColumnSpec(_tr("Doel"), lambda c: c.purpose, lambda c: text_key(c.purpose),
                       muted=self._inactive),
            ColumnSpec(_tr("Vorm"), lambda c: consent_form_label(c.form), lambda c: c.form,
                       muted=self._inactive),
            ColumnSpec(_tr("Gegeven op"), lambda c: format_dutch_date(c.given_on),
                       lambda c: c.given_on),
            ColumnSpec(_tr("Status"), self.state_text,
                       lambda c: (not c.active_on(self._today), date_key(c.withdrawn_on)),
                       muted=self._inactive),
        ]

    def columns(self) -> Sequence[ColumnSpec[Consent]]:
        return self._columns

    def set_context(self, person_names: dict[str, str], today: date) -> None:
        self._people = dict(person_names)
        self._today = today

    def _inactive(self, consent: Consent) -> bool:
        return not consent.active_on(self._today)

    def state_text(self, consent: Consent) -> str:
        if consent.withdrawn_on is not None:
            return _tr("Ingetrokken op %1").replace("%1", format_dutch_date(consent.withdrawn_on))
        return _tr("Geldig")


# --- cases ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CaseRow:
    """One case with its total registered time, for the case history table."""

    case: Case
    total_minutes: int

    @property
    def id(self) -> str:
        return self.case.id


_STATUS_ORDER = {status: position for position, status in enumerate(CaseStatus)}


class CasesModel(RowTableModel[CaseRow]):
    def __init__(self, rows: Sequence[CaseRow] = (), worker_names: dict[str, str] | None = None,
                 parent: QObject | None = None) -> None:
        self._workers = dict(worker_names or {})
        super().__init__(rows, parent)
        self._columns: list[ColumnSpec[CaseRow]] = [
            ColumnSpec(_tr("Aangemeld op"), lambda r: format_dutch_date(r.case.referral_date),
                       lambda r: r.case.referral_date),
            ColumnSpec(_tr("Aangemeld door"), lambda r: referral_label(r.case.referral_source),
                       lambda r: referral_label(r.case.referral_source).casefold()),
            ColumnSpec(_tr("Status"), lambda r: status_label(r.case.status),
                       lambda r: _STATUS_ORDER[r.case.status]),
            ColumnSpec(_tr("Regisseur"), lambda r: self._workers.get(r.case.regisseur_id, ""),
                       lambda r: text_key(self._workers.get(r.case.regisseur_id, ""))),
            ColumnSpec(_tr("Afgesloten op"), lambda r: format_dutch_date(r.case.closed_on),
                       lambda r: date_key(r.case.closed_on)),
            ColumnSpec(_tr("Tijd"), lambda r: duration_label(r.total_minutes),
                       lambda r: r.total_minutes, RIGHT),
        ]

    def columns(self) -> Sequence[ColumnSpec[CaseRow]]:
        return self._columns

    def set_worker_names(self, names: dict[str, str]) -> None:
        self._workers = dict(names)
