"""Schemathesis against the server's OpenAPI document, authenticated, with a bounded number of
examples per operation. It runs on its own SQLite server: random logins must not trip the
address throttle of the shared servers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.server.conftest import Server, start_server, stop_server
from tests.server.laptop import Laptop

EXAMPLES = int(os.environ.get("WIJKTEAM_FUZZ_EXAMPLES", "15"))  # per operation
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, positive_data_acceptance]
# Schema-violating bodies must be refused too. (Not applied to query strings and paths: they
# carry text only, so "false" is a valid text there, not a wrongly typed value.)
BODY_CHECKS = [*CHECKS, negative_data_rejection]


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("server-fuzz"), None)
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def fuzz_auth(fuzz_server: Server) -> dict[str, str]:
    laptop = Laptop(fuzz_server, fuzz_server.account(fuzz_server.team()))
    laptop.new_household()
    laptop.push()
    return laptop.headers


def test_every_operation_is_documented(fuzz_server: Server) -> None:
    document = httpx.get(f"{fuzz_server.base_url}/api/v1/openapi.json").json()
    operations = {(method.upper(), path) for path, item in document["paths"].items()
                  for method in item}
    expected = {
        ("GET", "/api/v1/health"), ("POST", "/api/v1/auth/login"),
        ("POST", "/api/v1/auth/refresh"), ("GET", "/api/v1/me"),
        ("POST", "/api/v1/sync/push"), ("GET", "/api/v1/sync/pull"),
        ("GET", "/api/v1/households"), ("GET", "/api/v1/households/{household_id}"),
        ("GET", "/api/v1/conflicts"), ("GET", "/api/v1/conflicts/{conflict_id}"),
        ("POST", "/api/v1/conflicts/{conflict_id}/resolve"), ("GET", "/api/v1/sociale-kaart"),
        ("GET", "/api/v1/instrument-texts"), ("GET", "/api/v1/reference"),
        ("POST", "/api/v1/attachments"),
        ("PUT", "/api/v1/attachments/{attachment_id}/chunks/{index}"),
        ("POST", "/api/v1/attachments/{attachment_id}/complete"),
        ("GET", "/api/v1/attachments/{attachment_id}"),
        ("GET", "/api/v1/attachments/{attachment_id}/content"),
        ("GET", "/api/v1/reports/aggregates"),
        ("POST", "/api/v1/audit"), ("GET", "/api/v1/households/{household_id}/access-log"),
        ("GET", "/api/v1/admin/access-log"), ("GET", "/api/v1/admin/consent-audit"),
    }
    assert operations == expected
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary"), (method, path)
            if path != "/api/v1/health" and "auth" not in path:
                assert "401" in operation["responses"], (method, path)


def test_openapi_contract(fuzz_server: Server, fuzz_auth: dict[str, str]) -> None:
    """Every operation, a bounded number of generated requests each, all checks must hold."""
    schema = schemathesis.openapi.from_url(f"{fuzz_server.base_url}/api/v1/openapi.json")
    failures: list[str] = []
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]
        count += 1
        strategy = (operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
                    | operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))

        @given(case=strategy)
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            checks = BODY_CHECKS if isinstance(case.body, dict | list | bytes) else CHECKS
            case.call_and_validate(headers=fuzz_auth, checks=checks)

        try:
            run()
        except Exception as exc:  # collect all operations' failures, then report
            failures.append(f"{operation.label}: {exc}")
    assert count == 24
    assert not failures, "\n\n".join(failures)
