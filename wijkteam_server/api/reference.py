"""Health, sociale kaart and instrument texts (read-only reference data for every role)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select, text

from wijkteam_app.sync.protocol import (
    HealthResponse,
    InstrumentText,
    InstrumentTextList,
    SocialeKaartItem,
    SocialeKaartList,
)
from wijkteam_server.api.deps import AUTH_ERRORS, CallerDep, EngineDep
from wijkteam_server.db import read_session
from wijkteam_server.models import InstrumentTextRow, SocialeKaartEntry

router = APIRouter(tags=["reference"])


@router.get("/health", response_model=HealthResponse, summary="Readiness check (no login)")
def health(engine: EngineDep) -> HealthResponse:
    with read_session(engine) as session:
        session.execute(text("SELECT 1"))
    return HealthResponse()


@router.get("/sociale-kaart", response_model=SocialeKaartList, responses=AUTH_ERRORS,
            summary="The sociale kaart (read-only, every role)")
def sociale_kaart(_caller: CallerDep, engine: EngineDep,
                  wijk: Annotated[str | None, Query(max_length=200)] = None) -> SocialeKaartList:
    with read_session(engine) as session:
        rows = session.scalars(select(SocialeKaartEntry).order_by(SocialeKaartEntry.name)).all()
        items = [
            SocialeKaartItem(id=r.id, name=r.name, category=r.category,
                             description=r.description, wijken=list(r.wijken),
                             contact=r.contact, extra=dict(r.extra))
            for r in rows
            if wijk is None or not r.wijken or wijk in r.wijken
        ]
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
