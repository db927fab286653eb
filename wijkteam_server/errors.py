"""Errors the API answers with, and their Dutch messages for the user."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, str] = {
    "not_authenticated": "U bent niet aangemeld. Meld u opnieuw aan.",
    "token_invalid": "Uw aanmelding is verlopen. Meld u opnieuw aan.",
    "invalid_credentials": "Gebruikersnaam of wachtwoord is onjuist.",
    "throttled": "Te veel mislukte aanmeldpogingen. Probeer het over enkele minuten opnieuw.",
    "device_revoked": (
        "Dit apparaat is ingetrokken. De gegevens op dit apparaat worden gewist."
    ),
    "device_in_use": "Dit apparaat is geregistreerd voor een ander team.",
    "refresh_invalid": "Uw aanmelding is verlopen. Meld u opnieuw aan.",
    "refresh_reused": (
        "Uw aanmelding is om veiligheidsredenen beëindigd. Meld u opnieuw aan."
    ),
    "user_inactive": "Dit account is niet actief.",
    "not_found": "Niet gevonden.",
    "bad_request": "Het verzoek is ongeldig.",
    "method_not_allowed": "Deze bewerking is hier niet toegestaan.",
    "http_error": "Het verzoek kon niet worden verwerkt.",
    "forbidden": "U heeft hiervoor geen toestemming.",
    "wrong_device": "Dit verzoek hoort niet bij dit apparaat.",
    "protocol_unsupported": "Deze versie van de app past niet bij de server. Werk de app bij.",
    "sequence_gap": "Er ontbreken wijzigingen; de app stuurt ze opnieuw.",
    "sequence_reused": "Dit volgnummer is al gebruikt voor een andere wijziging.",
    "changeset_id_in_use": "Deze wijziging is al door een ander apparaat verstuurd.",
    "already_resolved": "Dit conflict is al opgelost.",
    "invalid_value": "Deze keuze is niet geldig voor dit conflict (verkeerd soort waarde).",
    "immutable": (
        "Dit onderdeel van het plan ligt vast en wordt niet meer gewijzigd. Uw versie blijft "
        "bewaard in het conflict; maak zo nodig een nieuwe planversie."
    ),
    "upload_incomplete": "Het bestand is nog niet volledig ontvangen.",
    "checksum_mismatch": "Het ontvangen bestand komt niet overeen met de controlewaarde.",
    "invalid_chunk": "Dit deel van het bestand is ongeldig.",
}


class ApiError(Exception):
    """Answered as `ErrorBody` with this HTTP status."""

    def __init__(self, status: int, code: str, *, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.headers = headers
        self.extra = extra

    @property
    def message(self) -> str:
        return MESSAGES.get(self.code, "Er ging iets mis.")


def not_found() -> ApiError:
    """The one answer for "does not exist" and "not yours": existence never leaks."""
    return ApiError(404, "not_found")


def revoked() -> ApiError:
    return ApiError(401, "device_revoked", wipe=True)
