"""Workers and teams as this laptop knows them."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    WIJKWERKER = "wijkwerker"
    GEZINSBEGELEIDER = "gezinsbegeleider"
    TEAMCOACH = "teamcoach"
    TOETSER = "toetser"
    BEHEERDER = "beheerder"
    BRANDPUNTFUNCTIONARIS = "brandpuntfunctionaris"  # unblocks stuck cases (seed 003)


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    wijken: tuple[str, ...] = ()
    prefers_zrm_2013: bool = False  # team setting: offer ZRM 2013 first to adults
    version: int = 0


@dataclass(frozen=True, slots=True)
class Worker:
    id: str
    username: str
    display_name: str
    role: Role
    team_id: str
    version: int = 0
