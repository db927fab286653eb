"""Dutch texts for error codes: the single catalogue the CLI and the UI read.

Dutch is the source language. The UI passes these strings through Qt's translator
(`wijkteam_app.ui.i18n`), so a translation file can still override any of them.
No message contains personal data: they describe the problem, never the value.
"""

from __future__ import annotations

from wijkteam_app.domain.validation import ErrorCode

FIELD_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.REQUIRED: "Dit veld is verplicht.",
    ErrorCode.TOO_LONG: "Deze tekst is te lang.",
    ErrorCode.BSN_FORMAT: "Een BSN bestaat uit 9 cijfers.",
    ErrorCode.BSN_INVALID: "Dit is geen geldig BSN (de elfproef klopt niet). "
    "Controleer de cijfers.",
    ErrorCode.POSTCODE_INVALID: "Vul een geldige postcode in, bijvoorbeeld 1234 AB.",
    ErrorCode.HOUSE_NUMBER_INVALID: "Vul een huisnummer in (alleen cijfers, toevoeging apart).",
    ErrorCode.DATE_IN_FUTURE: "Deze datum ligt in de toekomst.",
    ErrorCode.DATE_TOO_OLD: "Deze datum ligt te ver in het verleden.",
    ErrorCode.DATE_ORDER: "Deze datum ligt vóór de begindatum.",
    ErrorCode.OUT_OF_RANGE: "Deze waarde valt buiten het toegestane bereik.",
    ErrorCode.UNKNOWN_CHOICE: "Kies een van de mogelijkheden uit de lijst.",
    ErrorCode.UNKNOWN_REFERENCE: "Kies iemand uit dit huishouden.",
    ErrorCode.GEZAG_ONLY_FOR_MINORS: "Gezag geldt alleen voor minderjarigen.",
    ErrorCode.DUPLICATE: "Deze keuze staat er al in.",
    ErrorCode.NOT_APPLICABLE: "Dit onderdeel hoort niet bij deze situatie.",
}

ERROR_MESSAGES: dict[str, str] = {
    "wrong_passphrase": "Het wachtwoord klopt niet. Er is niets gewijzigd; probeer het opnieuw.",
    "wrong_key": "De sleutel past niet bij dit dossierbestand. Neem contact op met de "
    "functioneel beheerder.",
    "keyring_unavailable": "Er is geen beveiligde sleutelopslag van het systeem beschikbaar. "
    "Wijkteam bewaart de sleutel nooit onbeveiligd. Installeer en start een sleutelbos: "
    "op Linux gnome-keyring (pakket 'gnome-keyring', met een D-Bus-sessie) of KWallet; "
    "op Windows en macOS is deze standaard aanwezig.",
    "keyring_secret_missing": "Het geheim van dit dossier ontbreekt in de sleutelopslag van "
    "dit account. Het dossier kan zonder dit geheim niet worden geopend; neem contact op met "
    "de functioneel beheerder.",
    "casefile_missing": "Er is nog geen dossierbestand in deze map. Maak er eerst een aan "
    "met 'wijkteam init'.",
    "casefile_exists": "Er staat al een dossierbestand in deze map; er is niets overschreven.",
    "casefile_too_new": "Dit dossierbestand is gemaakt met een nieuwere versie van Wijkteam. "
    "Werk de applicatie bij; het bestand is niet aangeraakt.",
    "casefile_corrupt": "Het dossierbestand of het sleutelbestand is beschadigd. Er is niets "
    "gewijzigd; neem contact op met de functioneel beheerder.",
    "passphrase_too_weak": "Kies een wachtwoord van minstens 10 tekens, met variatie.",
    "passphrase_mismatch": "De twee wachtwoorden zijn niet gelijk.",
    "not_found": "Dit gegeven bestaat niet (meer).",
    "file_not_on_device": "Dit bestand staat niet op deze laptop: bestanden gaan (nog) niet "
    "mee met de synchronisatie. Open het op het apparaat waarop het is vastgelegd.",
    "stale_version": "Iemand anders heeft dit gegeven intussen gewijzigd. Open het opnieuw; "
    "er is niets overschreven.",
    "error": "Er ging iets mis. Er is niets gewijzigd.",
}


ENTITY_LABELS: dict[str, str] = {
    "team": "team", "worker": "medewerker", "household": "huishouden", "person": "persoon",
    "network_member": "netwerklid", "professional": "professional", "case": "casus",
    "contact_moment": "contactmoment", "consent": "toestemming", "assessment": "meting",
    "plan_version": "planversie", "attachment": "bijlage", "plan_review": "beoordeling",
    "plan_toets": "toets", "plan_signature": "ondertekening", "plan_evaluation": "evaluatie",
    "regie_event": "regiewisseling",
}
"""Dutch names of the synced record kinds (sync protocol ``entity``)."""

QUARANTINE_REASONS: dict[str, str] = {
    "schema": "een waarde past niet of een verplicht veld ontbreekt",
    "decode": "de inhoud is niet leesbaar",
    "integrity": "het verwijst naar een gegeven dat op deze laptop ontbreekt",
    "error": "verwerken mislukte",
    "unsupported": "deze versie van de app kent dit soort gegeven niet",
}
"""Why a pulled record is in quarantine (`wijkteam_app.sync.checks` reason codes)."""


def field_message(code: ErrorCode) -> str:
    return FIELD_MESSAGES.get(code, ERROR_MESSAGES["error"])


def error_message(code: str) -> str:
    return ERROR_MESSAGES.get(code, ERROR_MESSAGES["error"])
