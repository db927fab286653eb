"""The FastAPI application factory."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from wijkteam_app.sync.protocol import PROTOCOL_VERSION, ErrorBody
from wijkteam_server.api import api_router
from wijkteam_server.db import make_engine, schema_state
from wijkteam_server.errors import MESSAGES, ApiError
from wijkteam_server.settings import Settings

log = logging.getLogger("wijkteam_server")
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}


class SchemaOutdated(Exception):
    """The database is not at the head revision; run ``wijkteam-server init``."""


def create_app(settings: Settings, *, check_schema: bool = True) -> FastAPI:
    engine = make_engine(settings.database_url)
    if check_schema:
        current, head = schema_state(engine)
        if current != head:
            engine.dispose()
            raise SchemaOutdated(current or "", head)
    app = FastAPI(
        title="Wijkteam-server",
        version=PROTOCOL_VERSION,
        summary="Sync, authentication and reference data for Wijkteam laptops.",
        description="Protocol version " + PROTOCOL_VERSION + ". See docs/sync-protocol.md.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine

    @app.exception_handler(ApiError)
    def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        body = ErrorBody(code=exc.code, message=exc.message, **exc.extra)
        return JSONResponse(body.model_dump(mode="json"), status_code=exc.status,
                            headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Framework-level errors (unparseable body, unknown path) in the same shape.
        code = HTTP_CODES.get(exc.status_code, "http_error")
        body = ErrorBody(code=code, message=MESSAGES.get(code, MESSAGES["http_error"]))
        return JSONResponse(body.model_dump(mode="json"), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # A request of another protocol version is told to update (400), not merely "invalid";
        # everything else keeps FastAPI's standard 422 shape.
        if any(tuple(e.get("loc", ()))[-1:] == ("protocol",) for e in exc.errors()):
            body = ErrorBody(code="protocol_unsupported",
                             message=MESSAGES["protocol_unsupported"])
            return JSONResponse(body.model_dump(mode="json"), status_code=400)
        return await request_validation_exception_handler(request, exc)

    app.include_router(api_router)
    return app
