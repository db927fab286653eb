"""Consent audit: which shares did the consent the server holds not cover?

A laptop checks consent before it shares the ondersteuningsplan or the professionals'
contact details (`wijkteam_app.services.consent`), but it checks the consent records *it*
holds. Working offline it can share with a recipient after the consent was withdrawn on
another laptop, before that withdrawal reached it. The server cannot stop such a share; it is
the one place that sees everything, so it finds it afterwards.

For every ``gegevens.delen`` entry of the access log (all, from a day, up to a day, or one
household) this module asks the laptop's own rule, `wijkteam_app.domain.consent.decide`,
whether the consent records on the server covered the share on the day it was made:

- **subjects**: for a plan share the participants of that plan version
  (``content.participants.person_ids``) who are members of the household, else every member —
  exactly what `ConsentService.check` does; for contact details every member;
- **recipient and use**: parsed from the entry's purpose text, which the laptop writes as
  ``"<standard purpose> met <recipient>"`` (cut at 500 characters); the object type says which
  use (``planversie``: plan, ``professional``: contact details);
- **day**: the Dutch calendar day (Europe/Amsterdam) of the entry's moment, as the laptop's
  ``today`` was; a withdrawal counts from its day on (``Consent.active_on``), so a share on the
  day of the withdrawal is not covered, whatever the hour;
- **persons and consents**: the server's current records (``entities``; tombstones left out,
  as the laptop deletes them), built into the domain's `Person` and `Consent` — with no name,
  BSN or address: the rule needs only ids, birth dates and holders of gezag.

A share the rule refuses is listed with when, which worker and device, household id, recipient,
use, and per missing consent the person ids, the gap, the day of a withdrawal and when that
withdrawal reached the server, plus a short Dutch sentence. Residents appear by id only.
A share that cannot be judged (purpose not in the laptop's format or cut off, household or
its members no longer on the server) is listed separately, never silently skipped.

The server otherwise imports nothing of the app's domain; `decide` (and the two records it
reads) is the one exception, named in the import contract in ``pyproject.toml``, so the
server and the laptops can never apply different consent rules.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from wijkteam_app.domain.cases import Consent
from wijkteam_app.domain.consent import STANDARD_PURPOSE, Gap, Missing, Use, covers, decide
from wijkteam_app.domain.people import HouseholdRole, Person
from wijkteam_app.sync.protocol import UtcDateTime
from wijkteam_server.db import read_session
from wijkteam_server.models import AuditLogRow, EntityRow, User

log = logging.getLogger("wijkteam_server.consent_audit")

SHARE_ACTION = "gegevens.delen"
"""The access-log action of a share (`wijkteam_app.services.consent.SHARE_ACTION`)."""

OBJECT_USE: dict[str, Use] = {"planversie": Use.PLAN, "professional": Use.CONTACT}
"""The object type the laptop logs a share of each use with."""

PURPOSE_MAX = 500
"""The laptop cuts the purpose text at this length (and the column holds no more): a purpose
this long may have lost the end of its recipient."""

ZONE = "Europe/Amsterdam"
"""The laptops' calendar: `decide` is asked about the day the worker saw on the laptop."""

_IN_CHUNK = 500  # ids per IN (...) list

GAP_LABEL: dict[Gap, str] = {
    Gap.NONE_GIVEN: "niet gegeven",
    Gap.WITHDRAWN: "ingetrokken",
    Gap.NOT_YET: "nog niet ingegaan",
    Gap.NO_GEZAG_HOLDER: "geen gezaghebbende vastgelegd",
}
_WHAT: dict[Use, str] = {Use.PLAN: "het plan", Use.CONTACT: "contactgegevens van professionals"}

Problem = Literal["doel_onleesbaar", "doel_afgekapt", "huishouden_onbekend"]
_PROBLEM_TEXT: dict[str, str] = {
    "doel_onleesbaar": "Het doel in het logboek heeft niet de vorm '<standaarddoel> met "
                       "<ontvanger>'; ontvanger en gebruik zijn niet vast te stellen.",
    "doel_afgekapt": "Het doel in het logboek is afgekapt op 500 tekens; de ontvanger is "
                     "mogelijk onvolledig.",
    "huishouden_onbekend": "Het huishouden of zijn leden staan niet (meer) op de server "
                           "(bijvoorbeeld vernietigd na de bewaartermijn).",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MissingConsent(_Model):
    """One consent the share needed that the server's records did not hold for that day."""

    subject_id: str = Field(description="the person the information is about")
    subject_age: int | None = Field(description="their age on the day of the share")
    giver_id: str | None = Field(description="whose consent was needed (None: a minor "
                                             "without a recorded holder of gezag)")
    gap: str = Field(description="none_given, withdrawn, not_yet or no_gezag_holder "
                                 "(`wijkteam_app.domain.consent.Gap`)")
    label: str = Field(description="the gap in Dutch, e.g. 'ingetrokken'")
    withdrawn_on: date | None = None
    withdrawal_received_at: UtcDateTime | None = Field(
        None, description="when the withdrawal reached the server")
    reason: str = Field(description="one Dutch sentence; persons by id only")


class UncoveredShare(_Model):
    """A share (``gegevens.delen``) that the consent on the server did not cover."""

    at: UtcDateTime
    day: date = Field(description="the Dutch calendar day the share was judged on")
    device_id: str
    actor_id: str
    actor_name: str
    household_id: str
    object_type: str
    object_id: str = Field(description="the plan version id, or empty for contact details")
    recipient: str
    use: str = Field(description="plan or contactgegevens")
    subject_ids: list[str]
    subjects_from: Literal["plan", "huishouden", "plan_onbekend"] = Field(
        description="plan: the plan version's participants; huishouden: every member "
                    "(contact details, or a plan without participants); plan_onbekend: the "
                    "plan version is not on the server, every member was judged")
    missing: list[MissingConsent]
    reason: str = Field(description="Dutch; the sentences of `missing` together")
    entry_hash: str = Field(description="the access-log entry's hash (to find it there)")


class UnjudgedShare(_Model):
    """A share the audit could not judge, and why."""

    at: UtcDateTime
    device_id: str
    actor_id: str
    actor_name: str
    household_id: str | None
    object_type: str
    object_id: str
    problem: Problem
    explanation: str
    entry_hash: str


class ConsentAuditReport(_Model):
    """The shares in the selection that consent did not cover, oldest first."""

    since: date | None
    until: date | None
    household_id: str | None
    checked: int = Field(description="shares in the selection")
    uncovered: list[UncoveredShare]
    unjudged: list[UnjudgedShare]


# --------------------------------------------------------------------------- days


@cache
def _zone() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover - always there on 3.11
        return UTC
    try:
        return ZoneInfo(ZONE)
    except ZoneInfoNotFoundError:
        log.warning("no time zone data for %s: shares are judged by their UTC day", ZONE)
        return UTC


def local_day(at: datetime) -> date:
    """The laptop's calendar day of a stored moment (naive UTC)."""
    moment = at.replace(tzinfo=UTC) if at.tzinfo is None else at
    return moment.astimezone(_zone()).date()


def _day_start_utc(day: date) -> datetime | None:
    """The first moment of `day` in the laptops' calendar, as naive UTC; None where that lies
    outside what a datetime can hold (the first or last days of the calendar)."""
    try:
        return datetime.combine(day, time(), tzinfo=_zone()).astimezone(UTC).replace(
            tzinfo=None)
    except OverflowError:
        return None


def _day_after_start_utc(day: date) -> datetime | None:
    try:
        return _day_start_utc(day + timedelta(days=1))
    except OverflowError:
        return None


# --------------------------------------------------------------------------- parsing


def parse_share(object_type: str, purpose: str | None) -> tuple[Use, str] | None:
    """(use, recipient) of a share entry, or None when its purpose is not the laptop's
    ``"<standard purpose> met <recipient>"`` for its object type.

    This reads free text: a future change of the standard purpose wording, or of the way the
    laptop composes it, makes older entries unreadable here (they are then reported as not
    judged). A structured recipient and use in the audit entry would remove the parsing."""
    use = OBJECT_USE.get(object_type)
    if use is None or not purpose:
        return None
    prefix = f"{STANDARD_PURPOSE[use]} met "
    if not purpose.startswith(prefix):
        return None
    recipient = purpose[len(prefix):]
    return (use, recipient) if recipient.strip() else None


# --------------------------------------------------------------------------- records


def _day_value(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _role(value: Any) -> HouseholdRole:
    try:
        return HouseholdRole(value)
    except ValueError:  # `decide` does not look at it
        return HouseholdRole.OVERIG


def person_from_data(entity_id: str, data: Mapping[str, Any]) -> Person:
    """The domain person as `decide` needs it: id, household, birth date, holders of gezag.
    Name and BSN are deliberately left empty (the audit never reads them)."""
    return Person(
        id=entity_id,
        household_id=str(data.get("household_id") or ""),
        first_name="",
        last_name="",
        household_role=_role(data.get("household_role")),
        birth_date=_day_value(data.get("birth_date")),
        gezag_holder_ids=tuple(str(i) for i in data.get("gezag_holder_ids") or ()),
    )


def consent_from_data(entity_id: str, version: int, data: Mapping[str, Any]) -> Consent | None:
    """The domain consent of a ``consent`` record; None if it has no valid start day."""
    given_on = _day_value(data.get("given_on"))
    if given_on is None:
        return None
    return Consent(
        id=entity_id,
        household_id=str(data.get("household_id") or ""),
        person_id=str(data.get("person_id") or ""),
        recipient=str(data.get("recipient") or ""),
        purpose=str(data.get("purpose") or ""),
        given_on=given_on,
        recorded_by=str(data.get("recorded_by") or ""),
        form=str(data.get("form") or "mondeling"),
        withdrawn_on=_day_value(data.get("withdrawn_on")),
        version=version,
    )


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start:start + _IN_CHUNK]


def _rows(session: Session, entity: str, *, households: Iterable[str] = (),
          ids: Iterable[str] = ()) -> list[EntityRow]:
    out: list[EntityRow] = []
    column = EntityRow.household_id if households else EntityRow.entity_id
    for chunk in _chunks(households or ids):
        out.extend(session.scalars(select(EntityRow).where(
            EntityRow.entity == entity, column.in_(chunk),
            EntityRow.deleted.is_(False))).all())
    return out


def _received_at(row: EntityRow, field: str) -> datetime | None:
    origin = (row.field_origins or {}).get(field)
    at = origin.get("at") if isinstance(origin, dict) else None
    try:
        return datetime.fromisoformat(at) if isinstance(at, str) else None
    except ValueError:
        return None


class _Held:
    """What the server holds for the households of the selected shares."""

    def __init__(self, session: Session, households: set[str], plan_ids: set[str]) -> None:
        self.members: dict[str, list[Person]] = defaultdict(list)
        for row in _rows(session, "person", households=households):
            if row.household_id:
                self.members[row.household_id].append(person_from_data(row.entity_id,
                                                                       row.data))
        for people in self.members.values():  # the laptop's order: by birth date, unknown last
            people.sort(key=lambda p: (p.birth_date is None, p.birth_date or date.min, p.id))
        self.consents: dict[str, list[Consent]] = defaultdict(list)
        self.withdrawal_received: dict[str, datetime | None] = {}
        for row in _rows(session, "consent", households=households):
            consent = consent_from_data(row.entity_id, row.version, row.data)
            if consent is not None and row.household_id:
                self.consents[row.household_id].append(consent)
                self.withdrawal_received[consent.id] = _received_at(row, "withdrawn_on")
        self.participants: dict[str, tuple[str, ...]] = {}
        for row in _rows(session, "plan_version", ids=plan_ids):
            content = row.data.get("content")
            participants = content.get("participants") if isinstance(content, dict) else None
            ids = participants.get("person_ids") if isinstance(participants, dict) else None
            self.participants[row.entity_id] = tuple(str(i) for i in ids or ())


# --------------------------------------------------------------------------- the audit


def _reason(missing: Missing, age: int | None, recipient: str, use: Use) -> str:
    """One Dutch sentence, like the laptop's share dialog says it, with ids for names."""
    subject = f"persoon {missing.subject_id}"
    if missing.gap is Gap.NO_GEZAG_HOLDER:
        return (f"Voor {subject} ({age} jaar) was toestemming van de gezaghebbende nodig, maar "
                "er is geen gezaghebbende vastgelegd.")
    giver = f"persoon {missing.giver_id}"
    behalf = ""
    if missing.giver_id != missing.subject_id:
        behalf = f" (gezaghebbende van {subject}, {age} jaar)"
    elif age is not None and age < 16:
        behalf = f" ({age} jaar: ook de gezaghebbenden moesten toestemmen)"
    what = _WHAT[use]
    if missing.gap is Gap.WITHDRAWN and missing.withdrawn_on is not None:
        return (f"De toestemming van {giver}{behalf} om {what} te delen met {recipient} was "
                f"ingetrokken op {missing.withdrawn_on:%d-%m-%Y}.")
    if missing.gap is Gap.NOT_YET:
        return f"De toestemming van {giver}{behalf} ging pas later in."
    return (f"De toestemming van {giver}{behalf} om {what} te delen met {recipient} was niet "
            "gegeven.")


def _withdrawal_received(held: _Held, consents: Sequence[Consent], missing: Missing,
                         recipient: str, use: Use) -> datetime | None:
    if missing.gap is not Gap.WITHDRAWN:
        return None
    moments = [held.withdrawal_received.get(c.id) for c in consents
               if c.person_id == missing.giver_id and c.withdrawn_on == missing.withdrawn_on
               and covers(c, recipient, use)]
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def audit(session: Session, *, since: date | None = None, until: date | None = None,
          household_id: str | None = None) -> ConsentAuditReport:
    """Every share in the selection (days inclusive, in the laptops' calendar) that the consent
    on the server did not cover, and every share that could not be judged."""
    query = select(AuditLogRow).where(AuditLogRow.action == SHARE_ACTION)
    if household_id is not None:
        query = query.where(AuditLogRow.household_id == household_id)
    start = _day_start_utc(since) if since is not None else None
    if start is not None:
        query = query.where(AuditLogRow.at >= start)
    end = _day_after_start_utc(until) if until is not None else None
    if end is not None:
        query = query.where(AuditLogRow.at < end)
    entries = session.scalars(query.order_by(AuditLogRow.at, AuditLogRow.id)).all()

    names = dict(session.execute(select(User.id, User.display_name).where(
        User.id.in_({e.actor_id for e in entries}))).all()) if entries else {}
    held = _Held(session, {e.household_id for e in entries if e.household_id},
                 {e.object_id for e in entries
                  if OBJECT_USE.get(e.object_type) is Use.PLAN and e.object_id})
    uncovered: list[UncoveredShare] = []
    unjudged: list[UnjudgedShare] = []

    def refuse(entry: AuditLogRow, problem: Problem) -> None:
        unjudged.append(UnjudgedShare(
            at=entry.at, device_id=entry.device_id, actor_id=entry.actor_id,
            actor_name=names.get(entry.actor_id, ""), household_id=entry.household_id,
            object_type=entry.object_type, object_id=entry.object_id, problem=problem,
            explanation=_PROBLEM_TEXT[problem], entry_hash=entry.hash))

    for entry in entries:
        parsed = parse_share(entry.object_type, entry.purpose)
        if parsed is None:
            refuse(entry, "doel_onleesbaar")
            continue
        if len(entry.purpose or "") >= PURPOSE_MAX:
            refuse(entry, "doel_afgekapt")
            continue
        members = held.members.get(entry.household_id or "")
        if not entry.household_id or not members:
            refuse(entry, "huishouden_onbekend")
            continue
        use, recipient = parsed
        subjects: Sequence[Person] = members
        subjects_from: Literal["plan", "huishouden", "plan_onbekend"] = "huishouden"
        if use is Use.PLAN:
            participants = held.participants.get(entry.object_id)
            if participants is None:
                subjects_from = "plan_onbekend"
            else:  # ConsentService.check: the participants who are members, else everyone
                by_id = {p.id: p for p in members}
                chosen = [by_id[i] for i in participants if i in by_id]
                if chosen:
                    subjects, subjects_from = chosen, "plan"
        day = local_day(entry.at)
        consents = held.consents.get(entry.household_id, [])
        decision = decide(subjects, consents, recipient, use, day)
        if decision.allowed:
            continue
        ages = {p.id: p.age_on(day) for p in members}
        missing = [MissingConsent(
            subject_id=m.subject_id, subject_age=ages.get(m.subject_id), giver_id=m.giver_id,
            gap=m.gap.value, label=GAP_LABEL[m.gap], withdrawn_on=m.withdrawn_on,
            withdrawal_received_at=_withdrawal_received(held, consents, m, recipient, use),
            reason=_reason(m, ages.get(m.subject_id), recipient, use))
            for m in decision.missing]
        uncovered.append(UncoveredShare(
            at=entry.at, day=day, device_id=entry.device_id, actor_id=entry.actor_id,
            actor_name=names.get(entry.actor_id, ""), household_id=entry.household_id,
            object_type=entry.object_type, object_id=entry.object_id, recipient=recipient,
            use=use.value, subject_ids=[p.id for p in subjects], subjects_from=subjects_from,
            missing=missing, reason=" ".join(m.reason for m in missing),
            entry_hash=entry.hash))
    return ConsentAuditReport(since=since, until=until, household_id=household_id,
                              checked=len(entries), uncovered=uncovered, unjudged=unjudged)


def run(engine: Engine, *, since: date | None = None, until: date | None = None,
        household_id: str | None = None) -> ConsentAuditReport:
    with read_session(engine) as session:
        return audit(session, since=since, until=until, household_id=household_id)


# --------------------------------------------------------------------------- text


def _received(missing: MissingConsent) -> str:
    if missing.withdrawal_received_at is None:
        return ""
    return (" De intrekking staat sinds "
            f"{missing.withdrawal_received_at:%Y-%m-%d %H:%M} UTC op de server.")


def format_text(report: ConsentAuditReport) -> str:
    """The report for the command line (Dutch; moments in UTC, like ``access-log``)."""
    scope = []
    if report.since is not None:
        scope.append(f"vanaf {report.since:%Y-%m-%d}")
    if report.until is not None:
        scope.append(f"tot en met {report.until:%Y-%m-%d}")
    if report.household_id is not None:
        scope.append(f"huishouden {report.household_id}")
    selection = f" ({', '.join(scope)})" if scope else ""
    lines = [f"Toestemmingscontrole van gedeelde gegevens{selection}: "
             f"{report.checked} keer gedeeld, {len(report.uncovered)} keer niet gedekt door "
             f"toestemming, {len(report.unjudged)} keer niet te beoordelen."]
    if not report.uncovered:
        lines.append("Geen gedeelde gegevens zonder dekkende toestemming gevonden.")
    for share in report.uncovered:
        who = share.actor_name or share.actor_id
        what = f"plan (planversie {share.object_id})" if share.use == Use.PLAN.value \
            else "contactgegevens van professionals"
        lines += [
            "",
            f"{share.at:%Y-%m-%d %H:%M:%S} UTC  {who} ({share.actor_id}), apparaat "
            f"{share.device_id}",
            f"  huishouden {share.household_id}: {what} gedeeld met {share.recipient}",
            *(f"  - {m.label}: {m.reason}{_received(m)}" for m in share.missing),
        ]
    if report.unjudged:
        lines += ["", "Niet te beoordelen:"]
        for item in report.unjudged:
            lines.append(f"{item.at:%Y-%m-%d %H:%M:%S} UTC  {item.actor_name or item.actor_id}"
                         f"  huishouden {item.household_id or '-'}: {item.explanation}")
    return "\n".join(lines) + "\n"
