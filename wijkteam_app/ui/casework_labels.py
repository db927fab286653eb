"""Dutch labels for the enums of issue 13 (financing, conferences, the keukentafel report,
the stuck case, client experience and deadlines), passed through Qt's translator like
`wijkteam_app.ui.labels` (context "labels")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from wijkteam_app.domain.client_experience import SCALE_LABELS, Moment
from wijkteam_app.domain.conferences import ConferenceKind, PartyKind
from wijkteam_app.domain.deadlines import DeadlineKind
from wijkteam_app.domain.kitchen_table import IssueMethod
from wijkteam_app.domain.plans import EigenBijdrage, Financing

CONTEXT = "labels"


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (lupdate's marker name)
    del context
    return text


_FINANCING: dict[Financing, str] = {
    Financing.ZORG_IN_NATURA: QT_TRANSLATE_NOOP("labels", "Zorg in natura"),
    Financing.PGB: QT_TRANSLATE_NOOP("labels", "Persoonsgebonden budget (pgb)"),
    Financing.VOUCHER: QT_TRANSLATE_NOOP("labels", "Voucher (ondersteuningsbudget, PVB)"),
}
_EIGEN_BIJDRAGE: dict[EigenBijdrage, str] = {
    EigenBijdrage.GEEN: QT_TRANSLATE_NOOP("labels", "Geen eigen bijdrage"),
    EigenBijdrage.ABONNEMENTSTARIEF: QT_TRANSLATE_NOOP("labels", "Abonnementstarief (CAK)"),
    EigenBijdrage.INKOMENSAFHANKELIJK: QT_TRANSLATE_NOOP(
        "labels", "Inkomensafhankelijk (CAK)"),
}
_CONFERENCE: dict[ConferenceKind, str] = {
    ConferenceKind.MULTIDISCIPLINAIR_OVERLEG: QT_TRANSLATE_NOOP(
        "labels", "Multidisciplinair overleg"),
    ConferenceKind.ZORGOVERLEG: QT_TRANSLATE_NOOP("labels", "Zorgoverleg"),
    ConferenceKind.EIGEN_KRACHT_CONFERENTIE: QT_TRANSLATE_NOOP(
        "labels", "Eigen-kracht-conferentie"),
}
_PARTY: dict[PartyKind, str] = {
    PartyKind.INWONER: QT_TRANSLATE_NOOP("labels", "Huishouden"),
    PartyKind.NETWERK: QT_TRANSLATE_NOOP("labels", "Netwerk"),
    PartyKind.PROFESSIONAL: QT_TRANSLATE_NOOP("labels", "Professional"),
    PartyKind.MEDEWERKER: QT_TRANSLATE_NOOP("labels", "Wijkteam"),
    PartyKind.ANDERS: QT_TRANSLATE_NOOP("labels", "Iemand anders"),
}
_ISSUE: dict[IssueMethod, str] = {
    IssueMethod.MEEGEGEVEN: QT_TRANSLATE_NOOP("labels", "Meegegeven"),
    IssueMethod.PER_POST: QT_TRANSLATE_NOOP("labels", "Per post"),
    IssueMethod.PER_EMAIL: QT_TRANSLATE_NOOP("labels", "Per e-mail"),
}
_MOMENT: dict[Moment, str] = {
    Moment.EVALUATIE: QT_TRANSLATE_NOOP("labels", "Bij de evaluatie"),
    Moment.AFSLUITING: QT_TRANSLATE_NOOP("labels", "Bij het afsluiten"),
}
_DEADLINE: dict[DeadlineKind, str] = {
    DeadlineKind.VERSLAG: QT_TRANSLATE_NOOP("labels", "Verslag keukentafelgesprek"),
    DeadlineKind.BESLUIT: QT_TRANSLATE_NOOP("labels", "Besluit (Wmo-termijn)"),
    DeadlineKind.EVALUATIE: QT_TRANSLATE_NOOP("labels", "Evaluatie"),
    DeadlineKind.WAAKVLAM: QT_TRANSLATE_NOOP("labels", "Waakvlamcontact (nazorg)"),
    DeadlineKind.AFSPRAAK: QT_TRANSLATE_NOOP("labels", "Afspraak uit overleg"),
    DeadlineKind.VASTGELOPEN: QT_TRANSLATE_NOOP("labels", "Vastgelopen: besluit nodig"),
}
_DEADLINE_SHORT: dict[DeadlineKind, str] = {
    DeadlineKind.VERSLAG: QT_TRANSLATE_NOOP("labels", "verslag"),
    DeadlineKind.BESLUIT: QT_TRANSLATE_NOOP("labels", "besluit"),
    DeadlineKind.EVALUATIE: QT_TRANSLATE_NOOP("labels", "evaluatie"),
    DeadlineKind.WAAKVLAM: QT_TRANSLATE_NOOP("labels", "waakvlam"),
    DeadlineKind.AFSPRAAK: QT_TRANSLATE_NOOP("labels", "afspraak"),
    DeadlineKind.VASTGELOPEN: QT_TRANSLATE_NOOP("labels", "vastgelopen"),
}


def financing_label(value: Financing) -> str:
    return _t(_FINANCING[value])


def eigen_bijdrage_label(value: EigenBijdrage) -> str:
    return _t(_EIGEN_BIJDRAGE[value])


def conference_kind_label(value: ConferenceKind) -> str:
    return _t(_CONFERENCE[value])


def party_kind_label(value: PartyKind) -> str:
    return _t(_PARTY[value])


def issue_method_label(value: IssueMethod) -> str:
    return _t(_ISSUE[value])


def moment_label(value: Moment) -> str:
    return _t(_MOMENT[value])


def deadline_label(value: DeadlineKind) -> str:
    return _t(_DEADLINE[value])


def deadline_short_label(value: DeadlineKind) -> str:
    return _t(_DEADLINE_SHORT[value])


def scale_label(score: int) -> str:
    """'4 – eens'."""
    return f"{score} – {_t(SCALE_LABELS[score])}"


RULE_TEXTS: dict[str, str] = {
    "already_flagged": QT_TRANSLATE_NOOP(
        "labels", "Deze casus is al als vastgelopen gemeld; wacht op het besluit."),
    "flag_role": QT_TRANSLATE_NOOP(
        "labels", "Alleen een medewerker van de casus of de teamcoach meldt een casus als "
        "vastgelopen."),
    "decide_role": QT_TRANSLATE_NOOP(
        "labels", "Alleen de teamcoach of de brandpuntfunctionaris neemt het besluit over een "
        "vastgelopen casus."),
    "own_flag": QT_TRANSLATE_NOOP(
        "labels", "U heeft deze casus zelf als vastgelopen gemeld; een collega (teamcoach of "
        "brandpuntfunctionaris) neemt het besluit."),
    "flag_closed": QT_TRANSLATE_NOOP("labels", "Over deze melding is al besloten."),
    "decide_other_flag": QT_TRANSLATE_NOOP("labels", "Dit besluit hoort bij een andere melding."),
    "report_role": QT_TRANSLATE_NOOP(
        "labels", "Alleen een medewerker van het wijkteam legt een verslag vast."),
    "conference_role": QT_TRANSLATE_NOOP(
        "labels", "Alleen een medewerker van het wijkteam legt een overleg vast."),
    "experience_role": QT_TRANSLATE_NOOP(
        "labels", "Alleen een medewerker van de casus legt de klantervaring vast."),
    "no_plan": QT_TRANSLATE_NOOP(
        "labels", "Dit huishouden heeft nog geen ondersteuningsplan. Maak eerst een plan."),
    "plan_not_concept": QT_TRANSLATE_NOOP(
        "labels", "Afspraken gaan alleen in een conceptplan. Maak eerst een nieuwe versie "
        "van het plan."),
    "nothing_to_take": QT_TRANSLATE_NOOP(
        "labels", "Kies minstens één afspraak die nog niet in het plan staat."),
}


def rule_text(reason: str) -> str:
    text = RULE_TEXTS.get(reason)
    return _t(text) if text else _t(QT_TRANSLATE_NOOP("labels", "Dat kan niet in deze situatie."))
