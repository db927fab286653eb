"""The one-call record check of pulled items agrees with the shared schema's field-by-field
check, and catches content the app could not read back."""

from __future__ import annotations

from typing import Any

import pytest

from wijkteam_app.sync import checks
from wijkteam_app.sync.checks import check_item, defaults
from wijkteam_app.sync.entities import FieldProblem, check_fields

HOUSEHOLD: dict[str, Any] = {
    "name": "Huishouden Proef", "street": "Proefstraat", "house_number": 12,
    "postcode": "1234 AB", "city": "Voorbeeldstad", "wijk": "Noord",
    "created_at": "2026-01-05T10:00:00"}


@pytest.mark.parametrize(("values", "complete"), [
    (HOUSEHOLD, True),
    ({**HOUSEHOLD, "house_number_suffix": "A"}, True),
    ({"postcode": "1234AB"}, False),
    ({**HOUSEHOLD, "postcode": {"straat": "x"}}, True),
    ({**HOUSEHOLD, "house_number": "12"}, True),
    ({**HOUSEHOLD, "house_number": True}, False),
    ({"name": "Alleen een naam"}, True),
    ({"name": "Alleen een naam"}, False),
    ({**HOUSEHOLD, "onbekend": 1}, True),
    ({"created_at": "gisteren"}, False),
])
def test_the_fast_check_agrees_with_the_schema(values: dict[str, Any], complete: bool) -> None:
    try:
        check_fields("household", values, complete=complete)
        expected = None
    except FieldProblem as problem:
        expected = str(problem)
    found = check_item("household", values, complete=complete)
    assert (found.text if found else None) == expected
    if found is not None:
        assert found.reason == "schema"


def test_plan_content_is_decoded_as_the_app_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    content = {"goals": [{"id": "g1", "domain_code": "financien", "description": "x",
                          "current_level": 1, "target_level": 3, "horizon": "een_jaar"}]}
    assert check_item("plan_version", {"content": content}, complete=False) is None
    bad = {"goals": [{**content["goals"][0], "current_level": 11}]}
    problem = check_item("plan_version", {"content": bad}, complete=False)
    assert problem is not None and problem.reason == "schema"

    # Should the domain ever read content the schema lets through (the two drifted apart),
    # the record is still refused rather than stored unreadable.
    def drifted(_value: object) -> None:
        raise ValueError("domain refuses it")

    monkeypatch.setitem(checks.DECODERS, ("plan_version", "content"), drifted)
    problem = check_item("plan_version", {"content": content}, complete=False)
    assert problem is not None and problem.reason == "decode"
    assert problem.text == "plan_version.content: does not decode (ValueError)"


def test_unknown_entities_and_defaults() -> None:
    problem = check_item("mandaat", {}, complete=True)
    assert problem is not None and problem.reason == "unsupported"
    assert defaults("household") == {"house_number_suffix": "", "stadsdeel": ""}
    assert defaults("person")["gezag_holder_ids"] == []
