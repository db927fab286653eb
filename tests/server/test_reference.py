"""Reference data on the server (SQLite and PostgreSQL): the versioned bundle, its version in
every pull answer, the admin commands that change it, and a sociale kaart in the app's format
with Dutch refusals that change nothing."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from tests.reports.test_plan_pdf import write_png
from tests.server.conftest import Server
from tests.server.laptop import Laptop, new_id
from wijkteam_app.catalogs import load_sociale_kaart
from wijkteam_app.domain.provisions import ProvisionLevel
from wijkteam_app.paths import resources_dir
from wijkteam_app.sync.protocol import (
    MUNICIPAL_SETTING_DEFAULTS,
    ProvisionLevelName,
    ReferenceBundle,
    SocialeKaartFile,
)
from wijkteam_server import admin

SAMPLE = resources_dir() / "sociale-kaart" / "voorbeeld.json"


def bundle(laptop: Laptop) -> ReferenceBundle:
    response = laptop.get("/api/v1/reference")
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == f'"{response.json()["version"]}"'
    return ReferenceBundle.model_validate_json(response.content)


def announced(laptop: Laptop) -> str:
    response = laptop.get("/api/v1/sync/pull", params={"cursor": 10**9})
    assert response.status_code == 200
    version = response.json()["reference_version"]
    assert isinstance(version, str) and version
    return version


def cli_ok(server: Server, *args: str) -> str:
    result = server.cli(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_bundle_is_versioned_and_every_change_gives_a_new_version(
        server: Server, tmp_path: Path) -> None:
    account = server.account(server.team())
    laptop = Laptop(server, account)
    first = bundle(laptop)
    assert announced(laptop) == first.version
    assert first.settings["idle_lock_minutes"] in range(1, 241)  # always every key
    assert set(first.settings) == set(MUNICIPAL_SETTING_DEFAULTS)

    # Unchanged: 304 without a body for the version the laptop holds.
    again = laptop.http.get("/api/v1/reference", headers={
        **laptop.headers, "If-None-Match": f'"{first.version}"'})
    assert again.status_code == 304 and again.content == b""
    stale = laptop.http.get("/api/v1/reference", headers={
        **laptop.headers, "If-None-Match": '"ouder"'})
    assert stale.status_code == 200

    seen = {first.version}

    def changed() -> ReferenceBundle:
        current = bundle(laptop)
        assert current.version not in seen
        assert announced(laptop) == current.version
        seen.add(current.version)
        return current

    cli_ok(server, "mandate", "set", account.username, "--max-amount", "1250,75",
           "--provision", "L06SB1")
    mine = {m.worker_id: m for m in changed().mandates}[account.id]
    assert mine.max_amount_cents == 125_075 and mine.product_codes == ["L06SB1"]

    cli_ok(server, "sociale-kaart", "load", str(SAMPLE))
    kaart = changed().sociale_kaart
    assert len(kaart) == len(load_sociale_kaart())

    logo = tmp_path / "logo.png"
    write_png(logo)
    out = cli_ok(server, "municipality", "set", "--name", "Gemeente Proefstad", "--logo",
                 str(logo))
    assert "Gemeente Proefstad" in out
    current = changed()
    assert current.municipality.name == "Gemeente Proefstad"
    assert current.municipality.logo_type == "image/png"
    assert base64.b64decode(current.municipality.logo_base64 or "") == logo.read_bytes()

    cli_ok(server, "setting", "set", "idle_lock_minutes", "10")
    assert changed().settings["idle_lock_minutes"] == 10
    cli_ok(server, "setting", "set", "bsn_op_plan", "ja")
    assert changed().settings["bsn_op_plan"] is True

    texts = tmp_path / "teksten.json"
    texts.write_text(json.dumps([{"definition_id": "zrm-2017", "definition_version": "2017",
                                  "key": "financien.1", "text": "Officiële tekst"}]),
                     encoding="utf-8")
    cli_ok(server, "instrument-texts", "load", str(texts))
    assert [t.text for t in changed().instrument_texts] == ["Officiële tekst"]

    shown = cli_ok(server, "reference", "show")
    assert bundle(laptop).version in shown and "Gemeente Proefstad" in shown
    cli_ok(server, "municipality", "set", "--no-logo")
    assert changed().municipality.logo_base64 is None
    laptop.close()


def test_every_role_reads_the_bundle_and_nobody_without_a_login(server: Server) -> None:
    team = server.team()
    for role in ("wijkwerker", "gezinsbegeleider", "teamcoach", "toetser", "beheerder"):
        laptop = Laptop(server, server.account(team, role))
        assert laptop.get("/api/v1/reference").status_code == 200
        laptop.close()
    with server.client() as http:
        assert http.get("/api/v1/reference").status_code == 401


def test_the_shipped_sample_is_valid_on_both_sides_and_means_the_same() -> None:
    """One schema for the sociale kaart: the server's wire model accepts exactly what the
    app's parser accepts, field for field."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    wire = SocialeKaartFile.model_validate(data).provisions
    app = load_sociale_kaart(SAMPLE)
    assert len(wire) == len(app)
    for item, provision in zip(wire, app, strict=True):
        assert (item.id, item.name, item.provider, item.level, tuple(item.wijken),
                item.cost_cents, item.within_mandate, item.product_code, item.description,
                item.contact) == (
            provision.id, provision.name, provision.provider, provision.level.value,
            provision.wijken, provision.cost_cents, provision.within_mandate,
            provision.product_code, provision.description, provision.contact)
    assert set(ProvisionLevelName.__args__) == {level.value for level in ProvisionLevel}  # type: ignore[attr-defined]


def _kaart(tmp_path: Path, provisions: list[dict[str, Any]], **root: Any) -> Path:
    path = tmp_path / f"kaart-{new_id()[:6]}.json"
    path.write_text(json.dumps({"format": 1, "municipality": "Proefstad", "source": "test",
                                "provisions": provisions, **root}), encoding="utf-8")
    return path


BROKEN_KAARTEN: list[tuple[list[dict[str, Any]], dict[str, Any], str]] = [
    ([{"id": "a", "name": "A", "provider": "P", "level": "zwaar"}], {},
     "Voorziening 1 (id 'a'), veld niveau (level): moet een van deze waarden zijn: algemeen"),
    ([{"id": "a", "name": "A", "level": "algemeen"}], {},
     "Voorziening 1 (id 'a'), veld aanbieder (provider): ontbreekt"),
    ([{"id": "a", "name": "A", "provider": "P", "level": "algemeen", "cost_cents": "12"}], {},
     "veld kosten (cost_cents): moet een geheel getal zijn"),
    ([{"id": "a", "name": "A", "provider": "P", "level": "algemeen", "cost_cents": -5}], {},
     "valt buiten het toegestane bereik"),
    ([{"id": "a", "name": "A", "provider": "P", "level": "algemeen", "kleur": "rood"}], {},
     "veld kleur: is geen bekend veld"),
    ([{"id": "a", "name": " ", "provider": "P", "level": "algemeen"}], {},
     "veld naam (name): moet tekst zijn en mag niet leeg zijn"),
    ([{"id": "a", "name": "A", "provider": "P", "level": "algemeen", "within_mandate": 1}], {},
     "moet true of false zijn"),
    ([{"id": "a", "name": "A", "provider": "P", "level": "algemeen"},
      {"id": "a", "name": "B", "provider": "P", "level": "algemeen"}], {},
     "de id 'a' komt twee keer voor (voorziening 1 en 2)"),
    ([], {"format": 2}, "Het bestand, veld format: moet een van deze waarden zijn: 1"),
]


def test_a_broken_kaart_is_refused_in_dutch_and_changes_nothing(
        server: Server, tmp_path: Path) -> None:
    laptop = Laptop(server, server.account(server.team()))
    before = bundle(laptop)
    for provisions, root, expected in BROKEN_KAARTEN:
        with pytest.raises(admin.AdminError) as refused:
            admin.load_sociale_kaart(server.engine, _kaart(tmp_path, provisions, **root))
        assert "niet geladen" in str(refused.value) and expected in str(refused.value), (
            str(refused.value))
    # The command itself: exit code 1, the message on stderr, nothing changed.
    provisions, root, expected = BROKEN_KAARTEN[0]
    result = server.cli("sociale-kaart", "load", str(_kaart(tmp_path, provisions, **root)))
    assert result.returncode == 1 and expected in result.stderr, result.stderr
    assert bundle(laptop) == before
    laptop.close()


def test_kaart_files_that_are_not_a_kaart_are_refused(server: Server, tmp_path: Path) -> None:
    old_format = tmp_path / "oud.json"
    old_format.write_text(json.dumps({"items": [{"id": "x", "name": "X"}]}), encoding="utf-8")
    broken = tmp_path / "kapot.json"
    broken.write_text('{"format": 1, "provisions": [', encoding="utf-8")
    for path, expected in ((old_format, "heeft niet het formaat van een sociale kaart"),
                           (broken, "is geen geldige JSON (regel 1"),
                           (tmp_path / "bestaat-niet.json", "bestaat niet")):
        result = server.cli("sociale-kaart", "load", str(path))
        assert result.returncode == 1 and expected in result.stderr, result.stderr


def test_sociale_kaart_by_wijk_and_level(server: Server, tmp_path: Path) -> None:
    cli_ok(server, "sociale-kaart", "load", str(SAMPLE))
    laptop = Laptop(server, server.account(server.team()))
    noord = laptop.get("/api/v1/sociale-kaart", params={"wijk": "noord"}).json()["items"]
    assert noord and all(not i["wijken"] or "Noord" in i["wijken"] for i in noord)
    assert "vk-buurthuis-centrum" not in {i["id"] for i in noord}
    licht = laptop.get("/api/v1/sociale-kaart",
                       params={"level": "individueel_licht"}).json()["items"]
    assert licht and {i["level"] for i in licht} == {"individueel_licht"}
    assert laptop.get("/api/v1/sociale-kaart", params={"level": "zwaar"}).status_code == 422
    laptop.close()


def test_municipality_and_settings_are_checked(server: Server, tmp_path: Path) -> None:
    not_an_image = tmp_path / "logo.png"
    not_an_image.write_text("geen plaatje", encoding="utf-8")
    big = tmp_path / "groot.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024))
    for args, expected in (
        (("municipality", "set", "--logo", str(not_an_image)), "PNG- of JPEG-bestand"),
        (("municipality", "set", "--logo", str(big)), "te groot"),
        (("municipality", "set", "--name", "  "), "Geef de naam van de gemeente op"),
        (("setting", "set", "idle_lock_minutes", "0"), "van 1 tot en met 240"),
        (("setting", "set", "bsn_op_plan", "misschien"), "'ja' of 'nee'"),
        (("mandate", "set", "niemand-hier", "--max-amount", "10"), "bestaat niet"),
        (("mandate", "set", "niemand-hier", "--max-amount", "NaN"), "Ongeldig bedrag"),
    ):
        result = server.cli(*args)
        assert result.returncode == 1 and expected in result.stderr, (args, result.stderr)
    unknown = server.cli("setting", "set", "kleur", "rood")
    assert unknown.returncode == 2  # argparse: not one of the known settings
