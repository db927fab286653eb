"""Health and the reference data (read-only for every role): the versioned bundle that
laptops cache, and the sociale kaart and instrument texts on their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from sqlalchemy import select, text

from wijkteam_app.sync.protocol import (
    HealthResponse,
    InstrumentText,
    InstrumentTextList,
    ProvisionLevelName,
    ReferenceBundle,
    SocialeKaartList,
)
from wijkteam_server import reference
from wijkteam_server.api.deps import AUTH_ERRORS, CallerDep, EngineDep
from wijkteam_server.db import read_session
from wijkteam_server.models import InstrumentTextRow, SocialeKaartEntry

router = APIRouter(tags=["reference"])


@router.get("/health", response_model=HealthResponse, summary="Readiness check (no login)")
def health(engine: EngineDep) -> HealthResponse:
    with read_session(engine) as session:
        session.execute(text("SELECT 1"))
    return HealthResponse()


def _etag(version: str) -> str:
    return f'"{version}"'


@router.get("/reference", response_model=ReferenceBundle,
            responses={**AUTH_ERRORS, 304: {"description": "Not modified: the version in "
                                                           "If-None-Match is current."}},
            summary="All reference data as one versioned bundle (every role)")
def reference_bundle(_caller: CallerDep, engine: EngineDep, response: Response,
                     if_none_match: Annotated[str | None, Header(max_length=200)] = None,
                     ) -> ReferenceBundle | Response:
    """Mandates of every worker, the sociale kaart, licensed instrument texts, the
    municipality's name and logo, and the municipal settings. ``version`` (also the ETag)
    changes whenever any of it changes; the pull answer carries the current version as
    ``reference_version``, so a laptop asks only when it differs from its cached copy. With
    ``If-None-Match`` naming the current version the answer is 304 without a body."""
    with read_session(engine) as session:
        version = reference.current_version(session)
        if if_none_match is not None and _etag(version) in {
                tag.strip() for tag in if_none_match.split(",")}:
            return Response(status_code=304, headers={"ETag": _etag(version)})
        bundle = reference.bundle(session)
    response.headers["ETag"] = _etag(bundle.version)
    response.headers["Cache-Control"] = "private, no-cache"
    return bundle


@router.get("/sociale-kaart", response_model=SocialeKaartList, responses=AUTH_ERRORS,
            summary="The sociale kaart, optionally of one wijk and level (every role)")
def sociale_kaart(_caller: CallerDep, engine: EngineDep,
                  wijk: Annotated[str | None, Query(max_length=200)] = None,
                  level: ProvisionLevelName | None = None) -> SocialeKaartList:
    """Provisions without wijken serve every wijk (wijk names compare case-insensitively)."""
    query = select(SocialeKaartEntry).order_by(SocialeKaartEntry.name, SocialeKaartEntry.id)
    if level is not None:
        query = query.where(SocialeKaartEntry.level == level)
    with read_session(engine) as session:
        rows = session.scalars(query).all()
        wanted = wijk.casefold() if wijk is not None else None
        items = [reference.kaart_item(r) for r in rows
                 if wanted is None or not r.wijken
                 or wanted in {w.casefold() for w in r.wijken}]
    return SocialeKaartList(items=items)


@router.get("/instrument-texts", response_model=InstrumentTextList, responses=AUTH_ERRORS,
            summary="Licensed instrument texts loaded by the municipality")
def instrument_texts(_caller: CallerDep, engine: EngineDep,
                     definition_id: Annotated[str | None, Query(max_length=64)] = None,
                     ) -> InstrumentTextList:
    query = select(InstrumentTextRow).order_by(
        InstrumentTextRow.definition_id, InstrumentTextRow.definition_version,
        InstrumentTextRow.key)
    if definition_id is not None:
        query = query.where(InstrumentTextRow.definition_id == definition_id)
    with read_session(engine) as session:
        return InstrumentTextList(texts=[
            InstrumentText(definition_id=r.definition_id,
                           definition_version=r.definition_version, key=r.key, text=r.text)
            for r in session.scalars(query)
        ])
