"""Dutch texts for error codes: the single catalogue the CLI and the UI read.

Dutch is the source language. The UI passes these strings through Qt's translator
(`wijkteam_app.ui.i18n`), so a translation file can still override any of them.
No message contains personal data: they describe the problem, never the value.
"""

from __future__ import annotations

from wijkteam_app.domain.validation import ErrorCode
from wijkteam_app.sync.authority import Action, Refusal, Warning_

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
    ErrorCode.ALREADY_CORRECTED: "Deze meting is al gecorrigeerd of ingetrokken; open de "
    "nieuwste versie ervan.",
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
    "keyfile_missing": "Het sleutelbestand (sleutel.json) ontbreekt, terwijl het "
    "dossierbestand er wel is. Zonder sleutelbestand kan het dossier niet worden geopend; er is "
    "niets gewijzigd. Zet sleutel.json terug uit de back-up van deze laptop, of neem contact op "
    "met de functioneel beheerder.",
    "casefile_gone": "Het dossierbestand (dossier.wijkteam) ontbreekt in deze map, terwijl het "
    "sleutelbestand er wel is. Er is niets gewijzigd. Zet een reservekopie terug uit de map "
    "'backups', of haal uw dossier opnieuw op bij de server (verse synchronisatie).",
    "casefile_damaged_empty": "Het dossierbestand is leeg (0 bytes): de inhoud is verloren "
    "gegaan, bijvoorbeeld bij een crash of een volle schijf. Het bestand is niet aangeraakt. "
    "Zet een reservekopie terug uit de map 'backups', of haal uw dossier opnieuw op bij de "
    "server (verse synchronisatie).",
    "casefile_damaged_truncated": "Het dossierbestand is afgekapt: het is korter dan het "
    "hoort te zijn, bijvoorbeeld door een onderbroken kopie of een volle schijf. Het bestand "
    "is niet aangeraakt. Zet een reservekopie terug uit de map 'backups', of haal uw dossier "
    "opnieuw op bij de server (verse synchronisatie).",
    "casefile_damaged_first_page": "Het begin van het dossierbestand is beschadigd (de eerste "
    "pagina klopt niet meer), terwijl de sleutel wel past bij de rest van het bestand. Het "
    "bestand is niet aangeraakt. Zet een reservekopie terug uit de map 'backups', of haal uw "
    "dossier opnieuw op bij de server (verse synchronisatie).",
    "casefile_damaged_pages": "Een deel van het dossierbestand is beschadigd: sommige "
    "pagina's kloppen niet meer met hun controlegetal. Het bestand is niet aangeraakt. Zet een "
    "reservekopie terug uit de map 'backups', of haal uw dossier opnieuw op bij de server "
    "(verse synchronisatie).",
    "casefile_damaged_structure": "De opbouw van het dossierbestand is beschadigd. Het bestand "
    "is niet aangeraakt. Zet een reservekopie terug uit de map 'backups', of haal uw dossier "
    "opnieuw op bij de server (verse synchronisatie).",
    "disk_full": "De schijf is vol: er kon niets worden opgeslagen en er is niets gewijzigd. "
    "Maak ruimte vrij (bijvoorbeeld in Downloads of de prullenbak) en probeer het opnieuw; wat "
    "u invulde, staat nog in het formulier.",
    "read_only_folder": "Wijkteam kan niet schrijven in de map van uw dossier (de map is "
    "alleen-lezen of u heeft er geen rechten). Er is niets gewijzigd. Controleer de rechten van "
    "de map of vraag de IT-afdeling om hulp.",
    "read_only_file": "Het dossierbestand is alleen-lezen: Wijkteam kan er niets in opslaan. "
    "Er is niets gewijzigd. Controleer de rechten van het bestand of vraag de IT-afdeling om "
    "hulp.",
    "data_dir_not_folder": "De opgegeven gegevensmap is een bestand, geen map. Er is niets "
    "gewijzigd. Kies met --data-dir een map (of laat de optie weg voor de standaardmap).",
    "disk_error": "De schijf gaf een lees- of schrijffout. Er is niets gewijzigd. Probeer het "
    "opnieuw; blijft het gebeuren, laat de laptop dan nakijken door de IT-afdeling.",
    "unlock_throttled": "Het wachtwoord is te vaak achter elkaar onjuist ingevoerd. Wacht even "
    "voordat u het opnieuw probeert; er is niets gewijzigd.",
    "error": "Er ging iets mis. Er is niets gewijzigd.",
}


NOT_ALLOWED_MESSAGES: dict[Action, str] = {
    Action.REGISTER: "Een nieuwe aanmelding doet een wijkwerker, gezinsbegeleider of "
    "teamcoach; met uw rol kan dat niet.",
    Action.EDIT_CASE_DATA: "U kunt de gegevens van dit huishouden inzien, maar niet wijzigen: "
    "dat doen de regisseur, het casusteam en de teamcoach van het team.",
    Action.CHANGE_REGISSEUR: "Een andere regisseur aanwijzen doen de regisseur en de teamcoach "
    "van het team.",
    Action.MOVE_REGIE: "Opschalen en afschalen doen de regisseur en de teamcoach van het team.",
    Action.PLAN_WRITE: "Aan het ondersteuningsplan werken de regisseur en het casusteam van "
    "dit huishouden.",
    Action.PLAN_SUBMIT: "Het plan indienen bij de teamcoach doen de regisseur en het casusteam.",
    Action.PLAN_REVIEW: "Alleen een teamcoach van het team van dit huishouden kan het plan "
    "goedkeuren of terugsturen.",
    Action.PLAN_TOETS: "Alleen een gemeentelijk toetser van het team van dit huishouden kan de "
    "toets vastleggen.",
    Action.PLAN_TO_SIGNING: "Het plan naar ondertekening brengen doen de regisseur en het "
    "casusteam.",
    Action.PLAN_SIGN: "De ondertekening vastleggen doen de regisseur en het casusteam.",
    Action.PLAN_EXECUTE: "De uitvoering starten doen de regisseur en het casusteam.",
    Action.PLAN_EVALUATE: "Het plan evalueren doen de regisseur en het casusteam.",
    Action.PLAN_CLOSE: "Het plan afsluiten doen de regisseur en het casusteam.",
}
"""Why a step is not offered or was refused on this laptop (`services.authority.NotAllowed`
with code ``not_allowed.<action>``)."""

ERROR_MESSAGES.update({f"not_allowed.{action.value}": text
                       for action, text in NOT_ALLOWED_MESSAGES.items()})
ERROR_MESSAGES.update({
    "review_own_plan": "U bent de regisseur van dit plan en kunt het niet zelf beoordelen "
    "(vier ogen).",
    "toets_by_regisseur": "De gemeentelijke toets moet door iemand anders dan de regisseur van "
    "het plan worden gedaan (vier ogen).",
})

REFUSAL_MESSAGES: dict[Refusal, str] = {
    Refusal.NOT_ALLOWED: "Dit huishouden hoort op de server niet (meer) bij uw caseload. Uw "
    "wijziging blijft op deze laptop; vraag de regisseur of uw teamcoach om u aan het "
    "casusteam toe te voegen.",
    Refusal.SERVER_OWNED: "Deze gegevens beheert de gemeente op de server (medewerkers, "
    "mandaten, sociale kaart); ze kunnen niet op een laptop worden gewijzigd. Neem contact op "
    "met de functioneel beheerder.",
    Refusal.ROLE_NOT_ALLOWED: "Met uw rol mag u deze stap bij dit huishouden niet zetten. Uw "
    "wijziging blijft op deze laptop leesbaar; vraag de regisseur of uw teamcoach de stap te "
    "zetten.",
    Refusal.FORGED_ACTOR: "De wijziging noemde een andere medewerker dan u als degene die "
    "haar deed. De server legt alleen vast wat u zelf doet; neem contact op met de "
    "functioneel beheerder.",
    Refusal.OWN_PLAN: "U bent de regisseur van dit plan; een beoordeling of toets moet door "
    "een ander worden gedaan (vier ogen). Vraag een collega.",
    Refusal.INVALID_TRANSITION: "Deze stap past niet bij de fase waarin het plan op de server "
    "staat; vermoedelijk heeft een collega het plan intussen verder gebracht. Synchroniseer en "
    "bekijk het plan opnieuw.",
    Refusal.REVIEW_MISSING: "Goedkeuren of terugsturen kan alleen samen met de beoordeling van "
    "de teamcoach; die ontbrak. Vraag de teamcoach het plan opnieuw te beoordelen.",
    Refusal.TOETS_REQUIRED: "Dit plan gaat boven het mandaat van de regisseur en heeft eerst "
    "een positieve gemeentelijke toets nodig. Vraag de toetser van uw team om de toets.",
    Refusal.SIGNATURE_MISSING: "Het plan kan alleen ondertekend heten met de vastgelegde "
    "handtekening(en); die ontbraken. Leg de ondertekening opnieuw vast.",
    Refusal.EVALUATION_MISSING: "Een evaluatie heeft per doel een uitkomst nodig; niet alle "
    "doelen waren geëvalueerd. Evalueer het plan opnieuw.",
    Refusal.HISTORY_REWRITTEN: "De statusgeschiedenis van een plan kan alleen worden "
    "aangevuld, niet gewijzigd. Uw versie blijft op deze laptop leesbaar; synchroniseer en "
    "bekijk het plan opnieuw.",
    Refusal.PLAN_EXISTS: "Dit huishouden heeft op de server al een ondersteuningsplan van een "
    "collega. Uw versie blijft op deze laptop leesbaar; neem uw tekst over in dat plan.",
    Refusal.VERSION_EXISTS: "Een collega heeft intussen zelf een nieuwe versie van dit plan "
    "gemaakt. Uw versie blijft op deze laptop leesbaar; neem uw tekst over in de versie van "
    "uw collega.",
}
"""Why the municipal server refused a change-set (``ChangeSetResult.reason``), and what to do.
Every `Refusal` has a text (a test checks it)."""

UNKNOWN_REFUSAL = ("De server heeft deze wijziging geweigerd. Uw gegevens blijven op deze "
                   "laptop; neem contact op met de functioneel beheerder.")

WARNING_MESSAGES: dict[Warning_, str] = {
    Warning_.BSN_ELSEWHERE: "Dit BSN staat op de server ook bij een ander huishouden; overleg "
    "met uw teamcoach.",
}
"""Accepted, but worth a person's attention (``ChangeSetResult.warnings``)."""


def refusal_message(code: str | None) -> str:
    """The Dutch explanation of a server refusal, with what to do."""
    if code is None or code not in set(Refusal):
        return UNKNOWN_REFUSAL
    return REFUSAL_MESSAGES[Refusal(code)]


def warning_message(code: str) -> str:
    if code not in set(Warning_):
        return "De server meldt iets bij deze wijziging; overleg met uw teamcoach."
    return WARNING_MESSAGES[Warning_(code)]


def field_message(code: ErrorCode) -> str:
    return FIELD_MESSAGES.get(code, ERROR_MESSAGES["error"])


def error_message(code: str) -> str:
    return ERROR_MESSAGES.get(code, ERROR_MESSAGES["error"])
