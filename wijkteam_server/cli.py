"""``wijkteam-server``: the administrative command line (Dutch output for municipal IT).

Exit codes: 0 success, 1 refused (message on stderr), 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from wijkteam_app.sync.protocol import MUNICIPAL_SETTING_DEFAULTS
from wijkteam_server import admin
from wijkteam_server.db import make_engine, schema_state, upgrade
from wijkteam_server.maintenance import BackupError
from wijkteam_server.settings import SettingsError, init_data_dir, load_settings


def _engine(data_dir: Path) -> Engine:
    settings = load_settings(data_dir)
    engine = make_engine(settings.database_url)
    current, head = schema_state(engine)
    if current != head:
        engine.dispose()
        raise SettingsError(
            "Het databaseschema is niet actueel. Voer 'wijkteam-server init' uit."
        )
    return engine


def _read_password(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise admin.AdminError(f"Kan het wachtwoordbestand niet lezen: {exc}") from exc
    return lines[0] if lines else ""


def cmd_init(args: argparse.Namespace) -> int:
    from wijkteam_server.maintenance import encrypt_plaintext_attachments

    data_dir: Path = args.data_dir
    config = init_data_dir(data_dir, args.database_url, args.data_key_file)
    engine = make_engine(str(config["database_url"]))
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    kind = "PostgreSQL" if str(config["database_url"]).startswith("postgresql") else "SQLite"
    print(f"Server ingericht in {data_dir} ({kind}, schema bijgewerkt).")
    print(f"Sleutel voor bijlagen en reservekopieën: {config['data_key_path']} (buiten de "
          "gegevensmap; bewaar een kopie in de sleutelkluis, niet bij de reservekopieën).")
    encrypted = encrypt_plaintext_attachments(load_settings(data_dir))
    if encrypted:
        print(f"{encrypted} onversleuteld(e) bijlagebestand(en) versleuteld.")
    return 0


def cmd_attachments_encrypt(args: argparse.Namespace) -> int:
    from wijkteam_server.maintenance import encrypt_plaintext_attachments

    count = encrypt_plaintext_attachments(load_settings(args.data_dir))
    print(f"{count} onversleuteld(e) bijlagebestand(en) versleuteld." if count else
          "Alle bijlagen waren al versleuteld.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from wijkteam_server.maintenance import backup

    info = backup(load_settings(args.data_dir), args.output)
    print(f"Reservekopie geschreven naar {info.path} ({info.database}, schema "
          f"{info.schema_revision}, {info.attachments} bijlagebestand(en)), versleuteld met de "
          "sleutel van de server.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from wijkteam_server.maintenance import restore

    manifest = restore(load_settings(args.data_dir), args.input, replace=args.replace)
    print(f"Reservekopie van {manifest['created_at']} teruggezet "
          f"({len(manifest['files']) - 1} bijlagebestand(en)); schema bijgewerkt. "
          "Start de server weer.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from wijkteam_server.app import SchemaOutdated, create_app

    if bool(args.certfile) != bool(args.keyfile):
        print("Geef zowel --certfile als --keyfile op (of geen van beide).", file=sys.stderr)
        return 2
    settings = load_settings(args.data_dir)
    try:
        app = create_app(settings)
    except SchemaOutdated:
        print("Het databaseschema is niet actueel. Voer 'wijkteam-server init' uit.",
              file=sys.stderr)
        return 1
    scheme = "https" if args.certfile else "http"
    print(f"Wijkteam-server luistert op {scheme}://{args.host}:{args.port}", flush=True)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        ssl_certfile=str(args.certfile) if args.certfile else None,
        ssl_keyfile=str(args.keyfile) if args.keyfile else None,
        forwarded_allow_ips=args.forwarded_allow_ips,
        proxy_headers=True,
        log_level=args.log_level,
        server_header=False,
    )
    return 0


def cmd_team_add(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    team_id = admin.add_team(engine, args.name, args.gemeente)
    print(f"Team '{args.name}' toegevoegd (id {team_id}).")
    return 0


def cmd_team_gemeente(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    admin.set_team_municipality(engine, args.name, args.gemeente)
    print(f"Team '{args.name}' werkt voor gemeente '{args.gemeente}'.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from datetime import date

    from wijkteam_app.sync.aggregates import Grouping, PeriodError, parse_period
    from wijkteam_server.reporting import ReportRequest, compute, public_csv, public_json

    try:
        period = parse_period(args.period)
    except PeriodError as exc:
        raise admin.AdminError(str(exc)) from None
    today = date.today()
    if not period.started(today):
        raise admin.AdminError("Deze periode is nog niet begonnen.")
    engine = _engine(args.data_dir)
    report = compute(engine, ReportRequest(period, Grouping(args.per), today,
                                           tuple(args.team or ()), tuple(args.gemeente or ())))
    if args.format == "csv":
        output = public_csv(report)
    else:
        import json

        output = json.dumps(public_json(report), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        args.output.write_text(output, encoding="utf-8")
        print(f"Rapportage {period.code} ({args.per}) geschreven naar {args.output}.",
              file=sys.stderr)
    else:
        sys.stdout.write(output)
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    password = _read_password(args.password_file)
    engine = _engine(args.data_dir)
    user_id = admin.add_user(engine, args.username, args.team, args.role, password,
                             args.display_name)
    print(f"Gebruiker '{args.username}' ({args.role}, team {args.team}) toegevoegd "
          f"(id {user_id}).")
    return 0


def cmd_user_deactivate(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    if admin.deactivate_user(engine, args.username):
        print(f"Gebruiker '{args.username}' gedeactiveerd. Aanmelden, vernieuwen en nieuwe "
              "apparaten registreren kan niet meer; bestaande aanmeldingen werken niet meer.")
    else:
        print(f"Gebruiker '{args.username}' was al gedeactiveerd.")
    return 0


def cmd_user_activate(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    if admin.activate_user(engine, args.username):
        print(f"Gebruiker '{args.username}' is weer actief. Op elk apparaat moet opnieuw "
              "worden aangemeld.")
    else:
        print(f"Gebruiker '{args.username}' was al actief.")
    return 0


def cmd_user_reset_password(args: argparse.Namespace) -> int:
    password = _read_password(args.password_file)
    engine = _engine(args.data_dir)
    admin.reset_password(engine, args.username, password)
    print(f"Nieuw wachtwoord voor '{args.username}' ingesteld. Alle aanmeldingen van deze "
          "gebruiker zijn beëindigd; op elk apparaat moet opnieuw worden aangemeld.")
    return 0


def _moment(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def cmd_device_list(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    rows = admin.list_devices(engine)
    if not rows:
        print("Geen apparaten geregistreerd.")
        return 0
    print(f"{'GEBRUIKER':16}  {'APPARAATNAAM':32}  {'LAATST GEZIEN (UTC)':19}  "
          f"{'STATUS':22}  ID")
    for r in rows:
        if r.revoked_at:
            status = f"ingetrokken {r.revoked_at:%Y-%m-%d}"
        elif not r.user_active:
            status = "gebruiker gedeactiveerd"
        else:
            status = "actief"
        print(f"{r.username[:16]:16}  {r.name[:32]:32}  {_moment(r.last_seen_at):19}  "
              f"{status:22}  {r.id}")
    return 0


def cmd_device_revoke(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    admin.revoke_device(engine, args.id)
    print(f"Apparaat {args.id} ingetrokken. Bij het volgende contact wist het zijn gegevens.")
    return 0


def cmd_mandate_set(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    admin.set_mandate(engine, args.username, args.max_amount, args.provision or [])
    print(f"Mandaat van '{args.username}' vastgelegd: tot € {args.max_amount}.")
    return 0


def cmd_sociale_kaart_load(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    count = admin.load_sociale_kaart(engine, args.file)
    print(f"Sociale kaart geladen: {count} voorzieningen.")
    return 0


def cmd_instrument_texts_load(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    count = admin.load_instrument_texts(engine, args.file)
    print(f"Instrumentteksten geladen: {count} teksten.")
    return 0


def cmd_municipality_set(args: argparse.Namespace) -> int:
    if args.name is None and args.logo is None and not args.no_logo:
        print("Geef --name, --logo of --no-logo op.", file=sys.stderr)
        return 2
    engine = _engine(args.data_dir)
    admin.set_municipality(engine, args.name, args.logo, remove_logo=args.no_logo)
    summary = admin.reference_summary(engine)
    logo = f"{summary.logo_bytes // 1024} kB" if summary.logo_bytes else "geen"
    print(f"Gemeente: {summary.municipality_name or '(geen naam)'}; logo: {logo}. Laptops "
          "krijgen dit bij hun volgende synchronisatie.")
    return 0


def cmd_setting_set(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    value = admin.set_setting(engine, args.key, args.value)
    shown = ("ja" if value else "nee") if isinstance(value, bool) else value
    print(f"Instelling {args.key} = {shown}. Laptops krijgen dit bij hun volgende "
          "synchronisatie.")
    return 0


def cmd_reference_show(args: argparse.Namespace) -> int:
    engine = _engine(args.data_dir)
    s = admin.reference_summary(engine)
    print(f"Versie: {s.version} (gewijzigd {_moment(s.updated_at)} UTC)")
    print(f"Gemeente: {s.municipality_name or '(geen naam)'}")
    print(f"Logo: {f'{s.logo_bytes // 1024} kB' if s.logo_bytes else 'geen'}")
    for key, value in sorted(s.settings.items()):
        shown = ("ja" if value else "nee") if isinstance(value, bool) else value
        print(f"Instelling {key}: {shown}")
    print(f"Mandaten: {s.mandates}")
    print(f"Sociale kaart: {s.provisions} voorzieningen")
    print(f"Instrumentteksten: {s.instrument_texts}")
    return 0


def cmd_access_log(args: argparse.Namespace) -> int:
    import json

    from sqlalchemy.orm import Session

    from wijkteam_server import access_log

    engine = _engine(args.data_dir)
    try:
        with Session(engine) as session:
            entries = (access_log.for_person(session, args.person) if args.person
                       else access_log.for_household(session, args.household))
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([e.model_dump(mode="json") for e in entries], indent=2))
        return 0
    if not entries:
        print("Geen vastgelegde inzage of wijzigingen gevonden.")
        return 0
    print(f"{'WANNEER (UTC)':19}  {'WIE':24}  {'HANDELING':24}  {'APPARAAT':8}  DOEL")
    for e in entries:
        who = (e.actor_name or e.actor_id)[:24]
        print(f"{e.at.strftime('%Y-%m-%d %H:%M:%S'):19}  {who:24}  {e.action[:24]:24}  "
              f"{e.device_id[:8]:8}  {e.purpose or ''}")
    return 0


def cmd_consent_audit(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from wijkteam_server import consent_audit

    try:
        since = date.fromisoformat(args.since) if args.since else None
        until = date.fromisoformat(args.until) if args.until else None
    except ValueError:
        raise admin.AdminError("Geef een datum als JJJJ-MM-DD, bijvoorbeeld 2026-01-31.") from None
    engine = _engine(args.data_dir)
    try:
        report = consent_audit.run(engine, since=since, until=until,
                                   household_id=args.household)
    finally:
        engine.dispose()
    if args.format == "json":
        print(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(consent_audit.format_text(report))
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from datetime import date

    from wijkteam_server import retention

    engine = _engine(args.data_dir)
    try:
        if args.action == "log":
            rows = retention.purge_log(engine)
            if not rows:
                print("Nog niets vernietigd.")
            for r in rows:
                print(f"{r.purged_at:%Y-%m-%d %H:%M}  {r.household_id}  {r.regime:10}  "
                      f"{r.term_years:2} jaar na {r.case_end:%Y-%m-%d}  {r.records} records, "
                      f"{r.files} bestand(en)")
            return 0
        today = date.fromisoformat(args.today) if args.today else date.today()
        if args.dry_run:
            items = retention.due(engine, today)
            for item in items:
                print(f"{item.household_id}  {item.term.regime:10}  {item.term.years:2} jaar "
                      f"na {item.term.case_end:%Y-%m-%d}  (vervalt {item.term.due:%Y-%m-%d})")
            print(f"{len(items)} dossier(s) voorbij de bewaartermijn; niets vernietigd "
                  "(--dry-run).")
            return 0
        settings = load_settings(args.data_dir)
        done = retention.purge(engine, settings, today)
        print(f"{len(done)} dossier(s) vernietigd na de bewaartermijn; vastgelegd in het "
              "vernietigingslogboek ('wijkteam-server retention log').")
    finally:
        engine.dispose()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wijkteam-server",
                                     description="Beheer van de Wijkteam-server.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, required=True, help="gegevensmap van de server")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", parents=[common], help="gegevensmap en database inrichten")
    p.add_argument("--database-url", help="PostgreSQL-URL (standaard: SQLite in de map)")
    p.add_argument("--data-key-file", type=Path,
                   help="sleutelbestand voor bijlagen en reservekopieën, buiten de gegevensmap "
                   "(standaard: <gegevensmap>-keys/server-data.key)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("backup", parents=[common],
                       help="versleutelde reservekopie van database en bijlagen maken")
    p.add_argument("--output", type=Path, required=True, help="het reservekopiebestand")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common],
                       help="reservekopie terugzetten (stop eerst de server)")
    p.add_argument("--input", type=Path, required=True, help="het reservekopiebestand")
    p.add_argument("--replace", action="store_true",
                   help="vervang een database die al gebruikers heeft")
    p.set_defaults(func=cmd_restore)

    attachments = sub.add_parser("attachments", help="bijlagen").add_subparsers(
        dest="action", required=True)
    p = attachments.add_parser("encrypt", parents=[common],
                               help="onversleutelde bijlagen (van een oudere versie) versleutelen")
    p.set_defaults(func=cmd_attachments_encrypt)

    p = sub.add_parser("serve", parents=[common], help="de server starten")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8443)
    p.add_argument("--certfile", type=Path)
    p.add_argument("--keyfile", type=Path)
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                   help="proxy-adressen waarvan X-Forwarded-For vertrouwd wordt")
    p.add_argument("--log-level", default="warning")
    p.set_defaults(func=cmd_serve)

    team = sub.add_parser("team", help="teams").add_subparsers(dest="action", required=True)
    p = team.add_parser("add", parents=[common], help="team toevoegen")
    p.add_argument("name")
    p.add_argument("--gemeente", help="de gemeente waarvoor het team werkt")
    p.set_defaults(func=cmd_team_add)
    p = team.add_parser("gemeente", parents=[common], help="gemeente van een team vastleggen")
    p.add_argument("name")
    p.add_argument("gemeente")
    p.set_defaults(func=cmd_team_gemeente)

    p = sub.add_parser("report", parents=[common],
                       help="geaggregeerde cijfers per wijk, team of gemeente")
    p.add_argument("--period", required=True, help="2026H2, 2026H1 of 2026 (jaar)")
    p.add_argument("--per", choices=("wijk", "team", "gemeente"), default="wijk")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--team", action="append", help="alleen dit team (herhaalbaar)")
    p.add_argument("--gemeente", action="append", help="alleen deze gemeente (herhaalbaar)")
    p.add_argument("--output", type=Path, help="bestand (standaard: het scherm)")
    p.set_defaults(func=cmd_report)

    user = sub.add_parser("user", help="gebruikers").add_subparsers(dest="action", required=True)
    p = user.add_parser("add", parents=[common], help="gebruiker toevoegen")
    p.add_argument("username")
    p.add_argument("--team", required=True)
    p.add_argument("--role", required=True, choices=admin.ROLES)
    p.add_argument("--password-file", type=Path, required=True)
    p.add_argument("--display-name")
    p.set_defaults(func=cmd_user_add)
    p = user.add_parser("deactivate", parents=[common],
                        help="gebruiker deactiveren (aanmelden kan niet meer)")
    p.add_argument("username")
    p.set_defaults(func=cmd_user_deactivate)
    p = user.add_parser("activate", parents=[common], help="gedeactiveerde gebruiker heractiveren")
    p.add_argument("username")
    p.set_defaults(func=cmd_user_activate)
    p = user.add_parser("reset-password", parents=[common],
                        help="nieuw wachtwoord instellen (beëindigt alle aanmeldingen)")
    p.add_argument("username")
    p.add_argument("--password-file", type=Path, required=True)
    p.set_defaults(func=cmd_user_reset_password)

    device = sub.add_parser("device", help="apparaten").add_subparsers(dest="action",
                                                                       required=True)
    p = device.add_parser("list", parents=[common], help="apparaten tonen")
    p.set_defaults(func=cmd_device_list)
    p = device.add_parser("revoke", parents=[common], help="apparaat intrekken (wissen)")
    p.add_argument("id")
    p.set_defaults(func=cmd_device_revoke)

    mandate = sub.add_parser("mandate", help="mandaten").add_subparsers(dest="action",
                                                                        required=True)
    p = mandate.add_parser("set", parents=[common], help="mandaat vastleggen")
    p.add_argument("username")
    p.add_argument("--max-amount", required=True, help="bedrag in euro")
    p.add_argument("--provision", action="append", help="voorzieningscode (herhaalbaar)")
    p.set_defaults(func=cmd_mandate_set)

    kaart = sub.add_parser("sociale-kaart", help="sociale kaart").add_subparsers(
        dest="action", required=True)
    p = kaart.add_parser("load", parents=[common],
                         help="sociale kaart laden (JSON in het formaat van de app)")
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_sociale_kaart_load)

    keep = sub.add_parser("retention", help="bewaartermijnen (Selectielijst gemeenten 2020)")
    keep_sub = keep.add_subparsers(dest="action", required=True)
    p = keep_sub.add_parser("purge", parents=[common],
                            help="vernietig gesloten dossiers voorbij hun bewaartermijn")
    p.add_argument("--dry-run", action="store_true", help="toon alleen wat zou vervallen")
    p.add_argument("--today", help=argparse.SUPPRESS)  # tests and rehearsals: YYYY-MM-DD
    p.set_defaults(func=cmd_retention)
    p = keep_sub.add_parser("log", parents=[common], help="het vernietigingslogboek")
    p.set_defaults(func=cmd_retention)

    p = sub.add_parser("access-log", parents=[common],
                       help="wie heeft het dossier van een persoon of huishouden ingezien of "
                       "gewijzigd (NEN 7513)")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--person", help="id van de persoon")
    target.add_argument("--household", help="id van het huishouden")
    p.add_argument("--json", action="store_true", help="als JSON (voor een inzageverzoek)")
    p.set_defaults(func=cmd_access_log)

    p = sub.add_parser("consent-audit", parents=[common],
                       help="gedeelde gegevens (plan, contactgegevens) die de toestemming op de "
                       "server niet dekte, bijvoorbeeld offline na een intrekking")
    p.add_argument("--since", help="vanaf deze dag (JJJJ-MM-DD)")
    p.add_argument("--until", help="tot en met deze dag (JJJJ-MM-DD)")
    p.add_argument("--household", help="alleen dit huishouden (id)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_consent_audit)

    texts = sub.add_parser("instrument-texts", help="instrumentteksten").add_subparsers(
        dest="action", required=True)
    p = texts.add_parser("load", parents=[common], help="instrumentteksten laden (JSON)")
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_instrument_texts_load)

    municipality = sub.add_parser("municipality", help="naam en logo van de gemeente")
    municipality_sub = municipality.add_subparsers(dest="action", required=True)
    p = municipality_sub.add_parser("set", parents=[common],
                                    help="naam en/of logo op het plan vastleggen")
    p.add_argument("--name", help="naam van de gemeente, bijvoorbeeld 'Gemeente Almere'")
    logo = p.add_mutually_exclusive_group()
    logo.add_argument("--logo", type=Path, help="logo (PNG of JPEG, hoogstens 512 kB)")
    logo.add_argument("--no-logo", action="store_true", help="het logo verwijderen")
    p.set_defaults(func=cmd_municipality_set)

    setting = sub.add_parser("setting", help="gemeentelijke instellingen").add_subparsers(
        dest="action", required=True)
    p = setting.add_parser("set", parents=[common], help="een instelling vastleggen")
    p.add_argument("key", choices=sorted(MUNICIPAL_SETTING_DEFAULTS))
    p.add_argument("value")
    p.set_defaults(func=cmd_setting_set)

    ref = sub.add_parser("reference", help="referentiegegevens").add_subparsers(
        dest="action", required=True)
    p = ref.add_parser("show", parents=[common],
                       help="versie en inhoud van de referentiegegevens tonen")
    p.set_defaults(func=cmd_reference_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.umask(0o077)  # database, secrets and attachments: readable by the service user only
    try:
        result: int = args.func(args)
        return result
    except (admin.AdminError, SettingsError, BackupError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
