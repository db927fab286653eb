"""The `wijkteam` command: the GUI by default, and subcommands for setup and scripts.

Everything printed for a person is Dutch; exit codes: 0 fine, 1 a problem found or an error,
2 wrong usage or wrong passphrase.
"""

from __future__ import annotations

import argparse
import errno
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from wijkteam_app import __version__
from wijkteam_app.errors import UnlockThrottled, WijkteamError
from wijkteam_app.log import install_excepthook, log_exception, setup_logging
from wijkteam_app.messages import error_message
from wijkteam_app.paths import ProfilePaths, default_data_dir

PASSPHRASE_ENV = "WIJKTEAM_PASSPHRASE_FILE"  # noqa: S105 - a variable name, not a secret
log = logging.getLogger("wijkteam.cli")


class UsageError(Exception):
    """Wrong use of the command line; the message is Dutch."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wijkteam",
        description="Wijkteam: dossier en ondersteuningsplan voor het sociaal wijkteam. "
        "Zonder opdracht start het programmavenster.",
    )
    parser.add_argument("--version", action="version", version=f"Wijkteam {__version__}")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="profielmap met het dossierbestand (standaard: de gebruikersmap "
                        "van dit systeem)")
    parser.add_argument("--passphrase-file", type=Path, default=None,
                        help=f"lees het wachtwoord uit dit bestand in plaats van erom te vragen "
                        f"(ook via de omgevingsvariabele {PASSPHRASE_ENV})")
    sub = parser.add_subparsers(dest="command", metavar="opdracht")
    init = sub.add_parser("init", help="maak een nieuw, versleuteld dossierbestand aan")
    init.add_argument("--naam", default="Lokale gebruiker", help="uw naam als medewerker")
    init.add_argument("--team", default="Lokaal team", help="naam van uw wijkteam")
    init.add_argument("--wijk", action="append", default=[], help="wijk van het team (herhaalbaar)")
    init.add_argument("--herstelsleutel", type=Path, default=None,
                      help="publieke herstelsleutel van de gemeente (PEM): de sleutel van het "
                      "dossier wordt ook daarmee versleuteld")
    demo = sub.add_parser("demo", help="vul het dossier met verzonnen voorbeeldhuishoudens")
    demo.add_argument("--aantal", type=int, default=12, help="aantal huishoudens (standaard 12)")
    demo.add_argument("--seed", type=int, default=2026, help="startwaarde voor het toeval")
    sub.add_parser("check", help="controleer het dossierbestand (versleuteling, integriteit, "
                   "verwijzingen, schema en auditlog)")
    sub.add_parser("households", help="toon één regel per huishouden: id, naam, postcode, wijk")
    passwd = sub.add_parser("passwd", help="wijzig het wachtwoord (de gegevens blijven gelijk)")
    passwd.add_argument("--new-passphrase-file", type=Path, default=None,
                        help="lees het nieuwe wachtwoord uit dit bestand")
    plan = sub.add_parser("plan", help="het ondersteuningsplan van een huishouden")
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="opdracht", required=True)
    pdf = plan_sub.add_parser("pdf", help="schrijf de huidige versie van het plan als PDF")
    pdf.add_argument("household", metavar="HUISHOUDEN", help="id van het huishouden "
                     "(zie 'wijkteam households')")
    pdf.add_argument("-o", "--output", type=Path, required=True, help="PDF-bestand")
    mandate = sub.add_parser("mandaat", help="stel het mandaat van de huidige medewerker in "
                             "(alleen zonder server; anders beheert de gemeente het)")
    mandate.add_argument("--max-bedrag", type=float, required=True,
                         help="maximaal bedrag in euro zonder gemeentelijke toets")
    mandate.add_argument("--product", action="append", default=[],
                         help="productcode binnen het mandaat (herhaalbaar)")
    settings = sub.add_parser("instellingen", help="gemeentenaam, logo en BSN op het plan "
                              "(wijzigen alleen zonder server; anders beheert de gemeente ze)")
    settings.add_argument("--gemeente", help="naam van de gemeente op het plan")
    settings.add_argument("--logo", type=Path, help="logo (PNG/JPG) op het plan")
    settings.add_argument("--bsn-op-plan", choices=["ja", "nee"],
                          help="BSN op het geprinte plan (standaard nee)")
    login = sub.add_parser("login", help="meld dit apparaat aan bij de gemeentelijke server")
    login.add_argument("url", metavar="URL", help="adres van de server, bijvoorbeeld "
                       "https://wijkteam.gemeente.nl")
    login.add_argument("username", metavar="GEBRUIKERSNAAM", help="uw gebruikersnaam op de server")
    login.add_argument("--password-file", type=Path, default=None,
                       help="lees het serverwachtwoord uit dit bestand (eerste regel)")
    sub.add_parser("sync", help="synchroniseer eenmaal met de server: verstuur en ontvang "
                   "wijzigingen")
    _recovery_parsers(sub)
    gui = sub.add_parser("gui", help="start het programmavenster (standaard)")
    gui.add_argument("--quit-after-start", action="store_true", help=argparse.SUPPRESS)
    return parser


def _recovery_parsers(sub: Any) -> None:
    rkey = sub.add_parser("herstelsleutel", help="herstelsleutel van de gemeente (beheer)")
    rsub = rkey.add_subparsers(dest="recovery_command", metavar="opdracht", required=True)
    make = rsub.add_parser("maak", help="maak een nieuw sleutelpaar (op een offline computer)")
    make.add_argument("--prive", type=Path, required=True,
                      help="bestand voor de privésleutel (blijft offline, met wachtwoord)")
    make.add_argument("--publiek", type=Path, required=True,
                      help="bestand voor de publieke sleutel (gaat naar de laptops)")
    make.add_argument("--sleutelwachtwoord-file", type=Path, default=None,
                      help="lees het wachtwoord van de privésleutel uit dit bestand")
    use = rsub.add_parser("instellen", help="versleutel de dossiersleutel ook met deze "
                          "publieke herstelsleutel")
    use.add_argument("publiek", type=Path, metavar="PUBLIEKE_SLEUTEL", help="PEM-bestand")
    rsub.add_parser("toon", help="toon met welke herstelsleutel dit dossier is beveiligd")
    recover = sub.add_parser("herstel", help="open een dossier met de privé-herstelsleutel van "
                             "de gemeente en geef het een nieuw wachtwoord (beheer)")
    recover.add_argument("--herstelsleutel", type=Path, required=True,
                         help="de privé-herstelsleutel (PEM)")
    recover.add_argument("--sleutelwachtwoord-file", type=Path, default=None,
                         help="lees het wachtwoord van de privésleutel uit dit bestand")
    recover.add_argument("--new-passphrase-file", type=Path, default=None,
                         help="lees het nieuwe wachtwoord van het dossier uit dit bestand")


def read_passphrase(args: argparse.Namespace, prompt: str = "Wachtwoord: ",
                    confirm: bool = False, file: Path | None = None) -> str:
    source = file or args.passphrase_file or (
        Path(os.environ[PASSPHRASE_ENV]) if os.environ.get(PASSPHRASE_ENV) else None
    )
    if source is not None:
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError("Het wachtwoordbestand kan niet worden gelezen.") from exc
        return text.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageError("Geen wachtwoord: geef --passphrase-file op of gebruik een terminal.")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Herhaal het wachtwoord: ") != value:
        raise UsageError(error_message("passphrase_mismatch"))
    return value


def cmd_init(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.services.profile import LocalIdentity, init_profile

    recovery_pem = _read_file(args.herstelsleutel, "De herstelsleutel") \
        if args.herstelsleutel else None
    passphrase = read_passphrase(args, "Nieuw wachtwoord: ", confirm=True)
    init_profile(paths, passphrase,
                 LocalIdentity(display_name=args.naam, team_name=args.team,
                               wijken=tuple(args.wijk)),
                 recovery_public_key=recovery_pem)
    print(f"Dossierbestand aangemaakt in {paths.root}")
    if recovery_pem:
        print("De dossiersleutel is ook versleuteld met de herstelsleutel van de gemeente.")
    return 0


def _workspace(args: argparse.Namespace, paths: ProfilePaths):  # type: ignore[no-untyped-def]
    from wijkteam_app.services.profile import unlock

    return unlock(paths, read_passphrase(args))


def cmd_demo(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.services.demo import fill_demo

    workspace = _workspace(args, paths)
    try:
        count = fill_demo(workspace, households=args.aantal, seed=args.seed)
    finally:
        workspace.close()
    print(f"{count} verzonnen huishoudens toegevoegd (voorbeeldgegevens, geen echte personen).")
    return 0


def cmd_check(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.services.maintenance import check_profile

    report = check_profile(paths, read_passphrase(args))
    for fact in report.facts:
        print(f"in orde: {fact}")
    for problem in report.problems:
        print(f"PROBLEEM: {problem}")
    print("Dossierbestand in orde." if report.ok else "Dossierbestand NIET in orde.")
    return 0 if report.ok else 1


def cmd_households(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.services.households import HouseholdService

    workspace = _workspace(args, paths)
    try:
        for h in HouseholdService(workspace).list(limit=1_000_000):
            print(f"{h.id}\t{h.name}\t{h.postcode}\t{h.wijk}")
    finally:
        workspace.close()
    return 0


def cmd_passwd(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.services.profile import change_passphrase

    old = read_passphrase(args, "Huidig wachtwoord: ")
    new = read_passphrase(args, "Nieuw wachtwoord: ", confirm=True,
                          file=args.new_passphrase_file)
    change_passphrase(paths, old, new)
    print("Wachtwoord gewijzigd. De gegevens zelf zijn niet opnieuw versleuteld.")
    return 0


def _write_output(path: Path, data: bytes) -> None:
    """Write a file the person asked for, whole or not at all (temporary file, rename)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = ("de schijf is vol" if exc.errno == errno.ENOSPC
                  else "de map bestaat niet of is niet beschrijfbaar")
        raise UsageError(f"Het bestand {path} kon niet worden geschreven: {reason}.") from exc


def cmd_plan(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.services.plans import PlanService, SignedPdfMissing
    from wijkteam_app.services.settings import SettingsService

    workspace = _workspace(args, paths)
    try:
        plans = PlanService(workspace)
        version = plans.current(args.household)
        if version is None:
            raise UsageError("Dit huishouden heeft nog geen ondersteuningsplan.")
        try:
            pdf = plans.pdf(version, SettingsService(workspace).report_settings())
        except SignedPdfMissing as exc:
            raise UsageError("Deze versie is ondertekend, maar de ondertekende PDF staat niet "
                             "in dit dossier. Er is geen nieuwe PDF gemaakt: die zou niet "
                             "zijn wat er is ondertekend.") from exc
        action = "plan.ondertekende_pdf_uitgeven" if pdf.signed else "plan.pdf_maken"
        workspace.casefile.audit(workspace.actor_id, action, "planversie", version.id,
                                 household_id=version.household_id)
    finally:
        workspace.close()
    _write_output(args.output, pdf.data)
    if pdf.signed and version.signature is not None:
        signed_on = version.signature.signed_on.strftime("%d-%m-%Y")
        print(f"Plan versie {version.number} is ondertekend op {signed_on}: de ondertekende "
              f"PDF (ongewijzigd, SHA-256 {pdf.sha256}) is geschreven naar {args.output}")
    else:
        print(f"Plan versie {version.number} ({version.status.value.replace('_', ' ')}, niet "
              f"ondertekend) geschreven naar {args.output}")
    return 0


def cmd_mandate(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.services.plans import PlanService

    if args.max_bedrag < 0:
        raise UsageError("Het maximale bedrag kan niet negatief zijn.")
    workspace = _workspace(args, paths)
    try:
        PlanService(workspace).set_own_mandate(round(args.max_bedrag * 100),
                                               frozenset(args.product))
    finally:
        workspace.close()
    print("Mandaat vastgelegd.")
    return 0


def cmd_settings(args: argparse.Namespace, paths: ProfilePaths) -> int:
    import dataclasses

    from wijkteam_app.services.settings import SettingsService

    workspace = _workspace(args, paths)
    try:
        service = SettingsService(workspace)
        current = service.get()
        changes: dict[str, object] = {}
        if args.gemeente is not None:
            changes["municipality_name"] = args.gemeente
        if args.logo is not None:
            if not args.logo.is_file():
                raise UsageError("Het logobestand bestaat niet.")
            changes["logo_path"] = str(args.logo.resolve())
        if args.bsn_op_plan is not None:
            changes["print_bsn"] = args.bsn_op_plan == "ja"
        if changes:
            current = dataclasses.replace(current, **changes)  # type: ignore[arg-type]
            service.set(current)
    finally:
        workspace.close()
    print(f"Gemeente: {current.municipality_name}")
    if current.managed_by_server:
        print(f"Logo: {f'{len(current.logo) // 1024 or 1} kB' if current.logo else '(geen)'}")
    else:
        print(f"Logo: {current.logo_path or '(geen)'}")
    print(f"BSN op het plan: {'ja' if current.print_bsn else 'nee'}")
    print(f"Vergrendelen na: {current.idle_lock_minutes} minuten zonder gebruik")
    if current.managed_by_server:
        print("Deze instellingen komen van de server van de gemeente.")
    return 0


def _server_password(args: argparse.Namespace) -> str:
    if args.password_file is not None:
        try:
            lines = args.password_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise UsageError("Het wachtwoordbestand voor de server kan niet worden gelezen.") \
                from exc
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        raise UsageError("Geen serverwachtwoord: geef --password-file op of gebruik een terminal.")
    return getpass.getpass("Wachtwoord voor de server: ")


def cmd_login(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.services.sync import SyncService
    from wijkteam_app.sync.transport import SyncError

    workspace = _workspace(args, paths)
    service = SyncService(workspace)
    try:
        result = service.login(args.url, args.username, _server_password(args))
    except SyncError as exc:
        log.warning("login failed: %s", exc.code)
        print(f"wijkteam: {exc.message}", file=sys.stderr)
        return 1
    finally:
        if not service.wiped:
            workspace.close()
    print(f"Aangemeld als {result.display_name} ({result.team_name}). "
          "Dit apparaat is geregistreerd bij de server.")
    if result.adopted_local_identity:
        print("Wat u op deze laptop al had vastgelegd, staat nu op uw naam en die van uw team; "
              "het gaat mee bij de volgende synchronisatie.")
    return 0


def cmd_sync(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.services.sync import SyncService

    workspace = _workspace(args, paths)
    service = SyncService(workspace)
    try:
        report = service.sync_once()
    finally:
        if not service.wiped:
            workspace.close()
    if report.reference_updated:
        print("Gegevens van de gemeente bijgewerkt (mandaten, sociale kaart, naam en logo).")
    print(f"Verstuurd: {report.pushed} wijziging(en) ({report.accepted} ontvangen door de "
          f"server, {report.rejected} geweigerd).")
    print(f"Ontvangen: {report.pulled} wijziging(en).")
    print(f"Conflicten: {report.conflicts} nieuw, {report.open_conflicts} open.")
    if report.removed:
        print(f"Uit uw caseload verwijderd: {report.removed} huishouden(s).")
    if report.kept:
        print(f"Nog bewaard tot alle wijzigingen binnen zijn: {report.kept} huishouden(s) die "
              "niet meer in uw caseload staan.")
    if report.quarantined:
        print(f"In quarantaine: {report.quarantined} gegeven(s) van de server, niet verwerkt "
              "(zie 'wijkteam check').")
    for message in report.errors:
        print(f"wijkteam: {message}", file=sys.stderr)
    if report.ok:
        print("Synchronisatie voltooid.")
        return 0
    return 1


def _read_file(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{what} ({path}) kan niet worden gelezen.") from exc


def _key_password(args: argparse.Namespace, confirm: bool = False) -> str:
    if args.sleutelwachtwoord_file is not None:
        lines = _read_file(args.sleutelwachtwoord_file,
                           "Het wachtwoordbestand van de sleutel").decode("utf-8").splitlines()
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        raise UsageError("Geen wachtwoord voor de sleutel: geef --sleutelwachtwoord-file op of "
                         "gebruik een terminal.")
    value = getpass.getpass("Wachtwoord van de privésleutel: ")
    if confirm and getpass.getpass("Herhaal het wachtwoord: ") != value:
        raise UsageError(error_message("passphrase_mismatch"))
    return value


def cmd_recovery_key(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.security import recovery as rk
    from wijkteam_app.services import key_recovery as recovery

    if args.recovery_command == "maak":
        for target in (args.prive, args.publiek):
            if target.exists():
                raise UsageError(f"{target} bestaat al; er is niets overschreven.")
        private_pem, public_pem = recovery.make_keypair(_key_password(args, confirm=True))
        fd = os.open(args.prive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(private_pem)
        args.publiek.write_bytes(public_pem)
        key_id = rk.key_id(rk.load_public_key(public_pem))
        print(f"Sleutelpaar gemaakt (sleutel-id {key_id[:16]}). Bewaar {args.prive} offline "
              "en het wachtwoord apart; verspreid alleen de publieke sleutel.")
        return 0
    if args.recovery_command == "instellen":
        pem = _read_file(args.publiek, "De publieke sleutel")
        key_id = recovery.set_recovery_key(paths, read_passphrase(args), pem)
        print(f"De dossiersleutel is ook versleuteld met herstelsleutel {key_id[:16]}.")
        return 0
    wrapped = rk.wrapped_key_id(paths.keyfile) if paths.keyfile.exists() else None
    print(f"Herstelsleutel: {wrapped[:16]}" if wrapped else
          "Dit dossier heeft (nog) geen herstelsleutel van de gemeente.")
    return 0


def cmd_recover(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.services.key_recovery import recover_profile

    private_pem = _read_file(args.herstelsleutel, "De privé-herstelsleutel")
    password = _key_password(args)
    new = read_passphrase(args, "Nieuw wachtwoord voor het dossier: ", confirm=True,
                          file=args.new_passphrase_file)
    report = recover_profile(paths, private_pem, password or None, new)
    print("Dossier hersteld met de herstelsleutel van de gemeente. Het heeft nu het nieuwe "
          "wachtwoord; de gegevens zelf zijn niet opnieuw versleuteld.")
    print(f"Nog niet verstuurd: {report.unsent_changes} wijziging(en) in "
          f"{report.households_with_unsent} huishouden(s). Start Wijkteam of 'wijkteam sync' "
          "om ze te versturen.")
    return 0


def cmd_gui(args: argparse.Namespace, paths: ProfilePaths) -> int:
    from wijkteam_app.ui.app import run

    quit_after_start = getattr(args, "quit_after_start", False)
    passphrase = None
    if args.passphrase_file or os.environ.get(PASSPHRASE_ENV) or quit_after_start:
        # Scripts and the installer smoke test open the window without the dialog.
        passphrase = read_passphrase(args)
    return run(paths, passphrase=passphrase, quit_after_start=quit_after_start)


COMMANDS: dict[str, Callable[[argparse.Namespace, ProfilePaths], int]] = {
    "init": cmd_init,
    "demo": cmd_demo,
    "check": cmd_check,
    "households": cmd_households,
    "passwd": cmd_passwd,
    "plan": cmd_plan,
    "mandaat": cmd_mandate,
    "instellingen": cmd_settings,
    "login": cmd_login,
    "sync": cmd_sync,
    "herstelsleutel": cmd_recovery_key,
    "herstel": cmd_recover,
    "gui": cmd_gui,
}


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # every file we create (case file, WAL, logs, backups) is owner-only
    install_excepthook()  # first: nothing below may end in a raw traceback
    args = build_parser().parse_args(argv)
    paths = ProfilePaths(args.data_dir or default_data_dir())
    command = args.command or "gui"
    # The window and `init` may make the profile folder; the log goes in it from the first
    # session on (a crash report that says "vastgelegd in het logbestand" must be true).
    wants_file = command in ("init", "gui") or paths.root.is_dir()
    logged = setup_logging(paths.logs if wants_file else None)
    if wants_file and not logged:
        log.warning("no log file: the profile folder cannot be written")
    try:
        return COMMANDS[command](args, paths)
    except UsageError as exc:
        print(f"wijkteam: {exc}", file=sys.stderr)
        return 2
    except UnlockThrottled as exc:
        log.warning("%s refused: unlock throttled", command)
        print(f"wijkteam: {error_message(exc.code)} Probeer het over {exc.seconds} seconden "
              "opnieuw.", file=sys.stderr)
        return 2
    except WijkteamError as exc:
        log.warning("%s failed: %s", command, exc.code)
        print(f"wijkteam: {error_message(exc.code)}", file=sys.stderr)
        return 2 if exc.code == "wrong_passphrase" else 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: a Dutch message, no traceback
        # (imported here: it loads SQLAlchemy, which the GUI does not need before its paint)
        from wijkteam_app.persistence.integrity import translate

        known = translate(exc, paths.casefile)
        if known is not None:
            log.warning("%s failed: %s", command, known.code)
            print(f"wijkteam: {error_message(known.code)}", file=sys.stderr)
            return 1
        log_exception(type(exc), exc, exc.__traceback__)
        print("wijkteam: Er ging iets onverwachts mis. De fout is vastgelegd in het logbestand, "
              "zonder persoonsgegevens. Wat al was opgeslagen, blijft bewaard.", file=sys.stderr)
        return 1
