"""Settings of this case file: the municipality's name and logo on printed plans, whether
the BSN is printed, and the team's ZRM preference. Stored in the case file itself."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import get_state, set_state
from wijkteam_app.persistence.schema import TeamRecord
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.profile import Workspace

DEFAULT_MUNICIPALITY = "Gemeente"


@dataclass(frozen=True, slots=True)
class AppSettings:
    municipality_name: str = DEFAULT_MUNICIPALITY
    logo_path: str = ""
    print_bsn: bool = False

    @property
    def municipality_known(self) -> bool:
        """False while no name was set (the placeholder "Gemeente")."""
        name = self.municipality_name.strip()
        return bool(name) and name != DEFAULT_MUNICIPALITY


class SettingsService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile

    def get(self) -> AppSettings:
        with self._db.read() as session:
            return AppSettings(
                municipality_name=get_state(session, "gemeente_naam") or DEFAULT_MUNICIPALITY,
                logo_path=get_state(session, "gemeente_logo") or "",
                print_bsn=get_state(session, "bsn_op_plan") == "ja",
            )

    def set(self, settings: AppSettings) -> None:
        with self._db.save(self._ws.actor_id, "instellingen.wijzigen", "instellingen",
                           "") as ctx:
            set_state(ctx.session, "gemeente_naam", settings.municipality_name.strip()
                      or DEFAULT_MUNICIPALITY)
            set_state(ctx.session, "gemeente_logo", settings.logo_path.strip())
            set_state(ctx.session, "bsn_op_plan", "ja" if settings.print_bsn else "nee")

    def set_zrm_preference(self, prefer_2013: bool) -> None:
        team = dataclasses.replace(self._ws.team, prefers_zrm_2013=prefer_2013)
        with self._db.save(self._ws.actor_id, "team.instellingen", "team", team.id) as ctx:
            repo.save_team(ctx.session, team)
        with self._db.read() as session:
            self._ws.team = repo.team_from(repo.require(session, TeamRecord, team.id))

    def report_settings(self) -> ReportSettings:
        """What the printed plan shows in its header. Until the municipality's name is set
        (by the server's reference data or in Instellingen) the header names the team
        rather than the bare word "Gemeente"."""
        s = self.get()
        logo = Path(s.logo_path) if s.logo_path and Path(s.logo_path).is_file() else None
        name = s.municipality_name if s.municipality_known else self._ws.team.name
        return ReportSettings(municipality_name=name, logo_path=logo,
                              show_bsn=s.print_bsn, author=self._ws.worker.display_name)
