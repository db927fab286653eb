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
    "recovery_key_invalid": "De herstelsleutel kan niet worden gelezen: geen geldige sleutel, "
    "een verkeerd wachtwoord voor de sleutel, of een te korte RSA-sleutel (minimaal 3072 "
    "bits). Er is niets gewijzigd.",
    "recovery_key_mismatch": "Deze herstelsleutel hoort niet bij dit dossier. Er is niets "
    "gewijzigd; gebruik de sleutel van de gemeente waarmee dit dossier is beveiligd.",
    "recovery_not_set": "Dit dossier heeft geen herstelsleutel van de gemeente. Zonder het "
    "wachtwoord kan het niet worden geopend.",
    "consent_missing": "Hiervoor ontbreekt toestemming. Er is niets gedeeld.",
    "casefile_locked": "Wijkteam is vergrendeld. Voer uw wachtwoord in om verder te gaan; "
    "er is niets gewijzigd.",
    "error": "Er ging iets mis. Er is niets gewijzigd.",
}


def field_message(code: ErrorCode) -> str:
    return FIELD_MESSAGES.get(code, ERROR_MESSAGES["error"])


def error_message(code: str) -> str:
    return ERROR_MESSAGES.get(code, ERROR_MESSAGES["error"])


# --- the audit / access log in words (NEN 7513: the resident reads these) ------------------

ACTION_TEXTS: dict[str, str] = {
    "inzage.huishouden": "Dossier bekeken",
    "plan.afdrukken": "Plan afgedrukt",
    "plan.pdf_opslaan": "Plan als PDF opgeslagen",
    "plan.pdf_maken": "Plan als PDF gemaakt",
    "inzage.export": "Inzage-export gemaakt",
    "gegevens.delen": "Gegevens gedeeld",
    "gegevens.wissen": "Verzoek tot wissen afgehandeld",
    "gegevens.corrigeren": "Gegevens gecorrigeerd op verzoek",
    "dossier.ontgrendelen": "Dossier ontgrendeld",
    "dossier.vergrendelen": "Dossier vergrendeld",
}
_SUBJECTS = {
    "aanmelding": "Aanmelding", "huishouden": "Huishouden", "persoon": "Persoon",
    "netwerk": "Netwerklid", "professional": "Professional", "casus": "Casus",
    "contact": "Contactmoment", "toestemming": "Toestemming", "zrm": "ZRM",
    "ladder": "Participatieladder", "plan": "Plan", "regie": "Regie", "bijlage": "Bijlage",
}
_VERBS = {
    "opslaan": "opgeslagen", "wijzigen": "gewijzigd", "registreren": "geregistreerd",
    "vastleggen": "vastgelegd", "verwijderen": "verwijderd", "aanmaken": "aangemaakt",
    "toevoegen": "toegevoegd", "concept_opslaan": "opgeslagen", "indienen": "ingediend",
    "evalueren": "geëvalueerd", "ondertekenen": "ondertekend", "afsluiten": "afgesloten",
    "toets": "getoetst", "nieuwe_versie": "nieuwe versie", "ter_ondertekening":
    "ter ondertekening", "uitvoering": "in uitvoering",
}


def describe_action(action: str) -> str:
    """'Dossier bekeken', 'Contactmoment opgeslagen', ...; unknown: 'Gewijzigd (<code>)'."""
    if action in ACTION_TEXTS:
        return ACTION_TEXTS[action]
    subject, _, verb = action.partition(".")
    if subject in _SUBJECTS and verb in _VERBS:
        return f"{_SUBJECTS[subject]} {_VERBS[verb]}"
    return f"Gewijzigd ({action})"
