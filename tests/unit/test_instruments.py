"""Instrument definitions (the shipped JSON files), assessments and official texts."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date
from pathlib import Path

import pytest

from wijkteam_app.domain.instruments import (
    Assessment,
    IncomparableAssessments,
    InstrumentDefinition,
    InstrumentKind,
    ItemScore,
    NoSuitableDefinitionError,
    Subject,
    compare,
    suggest_definition,
    validate_assessment,
    version_key,
)
from wijkteam_app.domain.validation import ErrorCode, FieldError
from wijkteam_app.instruments import (
    InstrumentFileError,
    default_directory,
    latest,
    load_definitions,
    load_official_texts,
)

TODAY = date(2025, 3, 14)

ZRM_2013_DOMAINS = [
    "Financiën", "Dagbesteding", "Huisvesting", "Huiselijke relaties", "Geestelijke gezondheid",
    "Lichamelijke gezondheid", "Verslaving", "ADL-vaardigheden", "Sociaal netwerk",
    "Maatschappelijke participatie", "Justitie",
]
ZRM_2017_DOMAINS = [
    "Financiën", "Werk & opleiding", "Tijdsbesteding", "Huisvesting", "Huiselijke relaties",
    "Geestelijke gezondheid", "Lichamelijke gezondheid", "Middelengebruik", "Basale ADL",
    "Instrumentele ADL", "Sociaal netwerk", "Maatschappelijke participatie", "Justitie",
]
HOUSEHOLD_DOMAINS = [
    "Financiën op huishoudniveau", "Huisvesting", "Organisatie van huishouden",
    "Huiselijke relaties", "Sociale omgeving",
]
CHILD_DOMAINS = [
    "Gezinsstructuur", "Lichamelijke verzorging", "Emotionele ondersteuning", "Socialisering",
    "Opvang", "Scholing",
]
ZRM_LEVEL_NAMES = [
    "Acute problematiek", "Niet zelfredzaam", "Beperkt zelfredzaam", "Voldoende zelfredzaam",
    "Volledig zelfredzaam",
]
LADDER_LEVEL_NAMES = [
    "Geïsoleerd", "Sociale contacten buitenshuis", "Deelname aan georganiseerde activiteiten",
    "Onbetaald werk", "Betaald werk met ondersteuning", "Betaald werk",
]
ZWAARTEFACTOR_NAMES = [
    "Zorgverzekering", "Cognitief vermogen", "Beheersing Nederlandse taal",
    "Digitale vaardigheden", "Bestemmingen buitenshuis bereiken", "Vrijgesteld van arbeid",
    "Verantwoordelijkheid voor kinderen",
]


@pytest.fixture(scope="module")
def defs() -> dict[tuple[str, str], InstrumentDefinition]:
    return load_definitions()


@pytest.fixture(scope="module")
def zrm2017(defs: dict[tuple[str, str], InstrumentDefinition]) -> InstrumentDefinition:
    return defs[("zrm-2017", "2017")]


@pytest.fixture(scope="module")
def households(defs: dict[tuple[str, str], InstrumentDefinition]) -> InstrumentDefinition:
    return latest(defs, "zrm-huishoudens")


@pytest.fixture(scope="module")
def ladder(defs: dict[tuple[str, str], InstrumentDefinition]) -> InstrumentDefinition:
    return latest(defs, "participatieladder")


def full_assessment(defn: InstrumentDefinition, has_children: bool = False) -> Assessment:
    is_person = defn.subject is Subject.PERSON
    return Assessment(
        id="a1",
        definition_id=defn.id,
        definition_version=defn.version,
        assessed_on=date(2025, 3, 1),
        assessor_id="u1",
        items=tuple(
            ItemScore(item.code, 3, target_score=4) for item in defn.items_for(has_children)
        ),
        person_id="p1" if is_person else None,
        household_id=None if is_person else "h1",
    )


_KEEP = -999  # marker: leave this value as it is


def with_score(
    assessment: Assessment, code: str, score: int | None = _KEEP, target_score: int | None = _KEEP
) -> Assessment:
    def changed(entry: ItemScore) -> ItemScore:
        return ItemScore(
            entry.item_code,
            entry.score if score == _KEEP else score,
            entry.target_score if target_score == _KEEP else target_score,
        )

    items = tuple(changed(e) if e.item_code == code else e for e in assessment.items)
    return dataclasses.replace(assessment, items=items)


# --- shipped definitions ---------------------------------------------------------------


def test_all_five_definitions_load(defs: dict[tuple[str, str], InstrumentDefinition]) -> None:
    assert {d.id for d in defs.values()} == {
        "zrm-2013", "zrm-2017", "zrm-jongeren", "zrm-huishoudens", "participatieladder",
    }
    assert ("zrm-2013", "2013") in defs
    assert ("participatieladder", "2008") in defs
    assert all(d.texts_source == "eigen" for d in defs.values())


def test_default_directory_is_in_the_repo() -> None:
    assert default_directory() == Path(__file__).resolve().parents[2] / "resources" / "instruments"


@pytest.mark.parametrize(
    ("definition_id", "names"),
    [
        ("zrm-2013", ZRM_2013_DOMAINS),
        ("zrm-2017", ZRM_2017_DOMAINS),
        ("zrm-jongeren", ZRM_2017_DOMAINS),
        ("zrm-huishoudens", HOUSEHOLD_DOMAINS + CHILD_DOMAINS),
    ],
)
def test_zrm_domain_names_are_exact(
    defs: dict[tuple[str, str], InstrumentDefinition], definition_id: str, names: list[str]
) -> None:
    defn = latest(defs, definition_id)
    assert [item.name for item in defn.items] == names
    assert defn.kind is InstrumentKind.ZRM
    assert defn.allows_not_discussed
    assert [level.name for level in defn.levels] == ZRM_LEVEL_NAMES
    assert [level.value for level in defn.levels] == [1, 2, 3, 4, 5]
    assert [factor.name for factor in defn.zwaartefactoren] == ZWAARTEFACTOR_NAMES
    assert all(item.help.strip() for item in defn.items)


def test_domain_counts(defs: dict[tuple[str, str], InstrumentDefinition]) -> None:
    assert len(latest(defs, "zrm-2013").items) == 11
    assert len(latest(defs, "zrm-2017").items) == 13
    assert len(latest(defs, "zrm-jongeren").items) == 13
    households = latest(defs, "zrm-huishoudens")
    assert len(households.items_for(has_children=False)) == 5
    assert len(households.items_for(has_children=True)) == 11
    child_items = [item for item in households.items if item.applies_when == "children"]
    assert [item.name for item in child_items] == CHILD_DOMAINS


def test_subjects_and_ages(defs: dict[tuple[str, str], InstrumentDefinition]) -> None:
    youth = latest(defs, "zrm-jongeren")
    assert (youth.min_age, youth.max_age) == (12, 17)
    assert latest(defs, "zrm-huishoudens").subject is Subject.HOUSEHOLD
    assert latest(defs, "zrm-2017").subject is Subject.PERSON


def test_ladder_definition(ladder: InstrumentDefinition) -> None:
    assert ladder.kind is InstrumentKind.LADDER
    assert not ladder.allows_not_discussed
    assert [level.name for level in ladder.levels] == LADDER_LEVEL_NAMES
    assert [level.value for level in ladder.levels] == [1, 2, 3, 4, 5, 6]
    assert [item.code for item in ladder.items] == ["trede"]
    assert ladder.zwaartefactoren == ()


def test_lookups(zrm2017: InstrumentDefinition) -> None:
    assert zrm2017.key == ("zrm-2017", "2017")
    assert zrm2017.item("werk_opleiding").name == "Werk & opleiding"
    assert zrm2017.level(1).name == "Acute problematiek"
    with pytest.raises(KeyError):
        zrm2017.item("dagbesteding")
    with pytest.raises(KeyError):
        zrm2017.level(6)


def test_version_order() -> None:
    assert version_key("2017") > version_key("2013")
    assert version_key("1.10") > version_key("1.9")


def test_latest_picks_the_highest_version(zrm2017: InstrumentDefinition) -> None:
    newer = dataclasses.replace(zrm2017, version="2024")
    defs = {zrm2017.key: zrm2017, newer.key: newer}
    assert latest(defs, "zrm-2017") is newer
    with pytest.raises(LookupError):
        latest(defs, "onbekend")


# --- validate_assessment ---------------------------------------------------------------


def codes(errors: list[FieldError]) -> set[tuple[str, ErrorCode]]:
    return {(e.field, e.code) for e in errors}


def test_full_assessment_is_valid(
    defs: dict[tuple[str, str], InstrumentDefinition], households: InstrumentDefinition
) -> None:
    for defn in defs.values():
        assert validate_assessment(defn, full_assessment(defn), TODAY) == [], defn.id
    with_children = full_assessment(households, has_children=True)
    assert validate_assessment(households, with_children, TODAY, has_children=True) == []


def test_valid_with_niet_besproken_target_date_and_zwaartefactoren(
    zrm2017: InstrumentDefinition,
) -> None:
    assessment = dataclasses.replace(
        with_score(full_assessment(zrm2017), "justitie", score=None, target_score=None),
        zwaartefactoren=("zorgverzekering", "digitale_vaardigheden"),
        target_date=date(2025, 9, 1),
    )
    assert validate_assessment(zrm2017, assessment, TODAY) == []


def test_definition_mismatch(zrm2017: InstrumentDefinition) -> None:
    other = dataclasses.replace(full_assessment(zrm2017), definition_version="2013")
    assert codes(validate_assessment(zrm2017, other, TODAY)) == {
        ("definition", ErrorCode.UNKNOWN_CHOICE)
    }


def test_dates(zrm2017: InstrumentDefinition) -> None:
    base = full_assessment(zrm2017)
    future = dataclasses.replace(base, assessed_on=date(2025, 3, 15))
    assert codes(validate_assessment(zrm2017, future, TODAY)) == {
        ("assessed_on", ErrorCode.DATE_IN_FUTURE)
    }
    for target in (base.assessed_on, date(2025, 2, 1)):
        early = dataclasses.replace(base, target_date=target)
        assert codes(validate_assessment(zrm2017, early, TODAY)) == {
            ("target_date", ErrorCode.DATE_ORDER)
        }


def test_missing_unknown_and_duplicate_items(zrm2017: InstrumentDefinition) -> None:
    base = full_assessment(zrm2017)
    missing = dataclasses.replace(base, items=base.items[1:])
    assert codes(validate_assessment(zrm2017, missing, TODAY)) == {
        ("items.financien", ErrorCode.REQUIRED)
    }
    unknown = dataclasses.replace(base, items=(*base.items, ItemScore("dagbesteding", 3)))
    assert codes(validate_assessment(zrm2017, unknown, TODAY)) == {
        ("items.dagbesteding", ErrorCode.UNKNOWN_CHOICE)
    }
    twice = dataclasses.replace(base, items=(*base.items, ItemScore("financien", 4)))
    assert codes(validate_assessment(zrm2017, twice, TODAY)) == {
        ("items.financien", ErrorCode.DUPLICATE)
    }


def test_child_items_only_with_children(households: InstrumentDefinition) -> None:
    with_children = full_assessment(households, has_children=True)
    errors = validate_assessment(households, with_children, TODAY, has_children=False)
    assert ("items.scholing", ErrorCode.NOT_APPLICABLE) in codes(errors)
    assert {e.code for e in errors} == {ErrorCode.NOT_APPLICABLE}
    assert len(errors) == 6
    without = full_assessment(households, has_children=False)
    errors = validate_assessment(households, without, TODAY, has_children=True)
    assert ("items.opvang", ErrorCode.REQUIRED) in codes(errors)
    assert len(errors) == 6


def test_scores_out_of_range(zrm2017: InstrumentDefinition, ladder: InstrumentDefinition) -> None:
    base = full_assessment(zrm2017)
    for bad in (0, 6):
        assessment = with_score(base, "huisvesting", score=bad)
        assert codes(validate_assessment(zrm2017, assessment, TODAY)) == {
            ("items.huisvesting.score", ErrorCode.OUT_OF_RANGE)
        }
    target = with_score(base, "huisvesting", target_score=6)
    assert codes(validate_assessment(zrm2017, target, TODAY)) == {
        ("items.huisvesting.target_score", ErrorCode.OUT_OF_RANGE)
    }
    rung_six = with_score(full_assessment(ladder), "trede", score=6, target_score=6)
    assert validate_assessment(ladder, rung_six, TODAY) == []
    rung_seven = with_score(full_assessment(ladder), "trede", score=7)
    assert codes(validate_assessment(ladder, rung_seven, TODAY)) == {
        ("items.trede.score", ErrorCode.OUT_OF_RANGE)
    }


def test_ladder_needs_a_score(ladder: InstrumentDefinition) -> None:
    assessment = dataclasses.replace(
        with_score(full_assessment(ladder), "trede", score=None, target_score=5),
        target_date=date(2026, 3, 1),
    )
    assert codes(validate_assessment(ladder, assessment, TODAY)) == {
        ("items.trede.score", ErrorCode.REQUIRED)
    }


def test_unknown_zwaartefactor(zrm2017: InstrumentDefinition, ladder: InstrumentDefinition) -> None:
    assessment = dataclasses.replace(full_assessment(zrm2017), zwaartefactoren=("schulden",))
    assert codes(validate_assessment(zrm2017, assessment, TODAY)) == {
        ("zwaartefactoren.schulden", ErrorCode.UNKNOWN_CHOICE)
    }
    on_ladder = dataclasses.replace(full_assessment(ladder), zwaartefactoren=("zorgverzekering",))
    assert codes(validate_assessment(ladder, on_ladder, TODAY)) == {
        ("zwaartefactoren.zorgverzekering", ErrorCode.UNKNOWN_CHOICE)
    }


def test_subject(zrm2017: InstrumentDefinition, households: InstrumentDefinition) -> None:
    person = full_assessment(zrm2017)
    for wrong in (
        dataclasses.replace(person, person_id=None),
        dataclasses.replace(person, household_id="h1"),
        dataclasses.replace(person, person_id=None, household_id="h1"),
    ):
        assert codes(validate_assessment(zrm2017, wrong, TODAY)) == {
            ("subject", ErrorCode.REQUIRED)
        }
    household = full_assessment(households)
    wrong = dataclasses.replace(household, household_id=None, person_id="p1")
    assert codes(validate_assessment(households, wrong, TODAY)) == {
        ("subject", ErrorCode.REQUIRED)
    }


def test_assessor_required(zrm2017: InstrumentDefinition) -> None:
    assessment = dataclasses.replace(full_assessment(zrm2017), assessor_id=" ")
    assert codes(validate_assessment(zrm2017, assessment, TODAY)) == {
        ("assessor_id", ErrorCode.REQUIRED)
    }


# --- compare ---------------------------------------------------------------------------


def test_compare_same_version(zrm2017: InstrumentDefinition) -> None:
    first = full_assessment(zrm2017)
    later = with_score(dataclasses.replace(first, id="a2"), "financien", score=5)
    later = with_score(later, "justitie", score=None)
    result = compare(first, later)
    assert result["financien"] == (3, 5)
    assert result["justitie"] == (3, None)
    assert list(result) == [item.code for item in zrm2017.items]


def test_compare_refuses_other_versions_and_instruments(
    defs: dict[tuple[str, str], InstrumentDefinition], zrm2017: InstrumentDefinition
) -> None:
    a = full_assessment(zrm2017)
    other_version = dataclasses.replace(a, definition_version="2018")
    with pytest.raises(IncomparableAssessments):
        compare(a, other_version)
    with pytest.raises(IncomparableAssessments):
        compare(a, full_assessment(latest(defs, "zrm-2013")))
    assert issubclass(IncomparableAssessments, ValueError)


# --- suggest_definition ----------------------------------------------------------------


def test_suggest_definition(defs: dict[tuple[str, str], InstrumentDefinition]) -> None:
    def suggested(age: int | None, subject: Subject, prefer_2013: bool = False) -> str:
        return suggest_definition(defs, age, subject, prefer_2013=prefer_2013).id

    assert suggested(12, Subject.PERSON) == "zrm-jongeren"
    assert suggested(17, Subject.PERSON) == "zrm-jongeren"
    assert suggested(18, Subject.PERSON) == "zrm-2017"
    assert suggested(80, Subject.PERSON) == "zrm-2017"
    assert suggested(None, Subject.PERSON) == "zrm-2017"
    assert suggested(45, Subject.PERSON, prefer_2013=True) == "zrm-2013"
    assert suggested(15, Subject.PERSON, prefer_2013=True) == "zrm-jongeren"
    assert suggested(None, Subject.HOUSEHOLD) == "zrm-huishoudens"
    assert suggested(8, Subject.HOUSEHOLD) == "zrm-huishoudens"
    with pytest.raises(NoSuitableDefinitionError):
        suggested(11, Subject.PERSON)
    only_2013 = {key: d for key, d in defs.items() if d.id == "zrm-2013"}
    with pytest.raises(NoSuitableDefinitionError):
        suggest_definition(only_2013, 40, Subject.PERSON)


# --- official texts --------------------------------------------------------------------


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_official_texts_overlay(tmp_path: Path, zrm2017: InstrumentDefinition) -> None:
    path = write_json(
        tmp_path / "zrm-2017-officieel.json",
        {
            "definition_id": "zrm-2017",
            "definition_version": "2017",
            "items": {
                "financien": {
                    "help": "Officiële omschrijving.",
                    "levels": {str(v): f"Criterium {v}" for v in range(5, 0, -1)},
                },
                "justitie": {"levels": {"1": "Alleen niveau 1"}},
            },
        },
    )
    official = load_official_texts(zrm2017, path)
    assert official.texts_source == "officieel: zrm-2017-officieel.json"
    assert official.uses_official_texts
    assert official.key == zrm2017.key
    financien = official.item("financien")
    assert financien.help == "Officiële omschrijving."
    assert financien.level_texts == tuple((v, f"Criterium {v}") for v in range(1, 6))
    assert financien.level_text(3) == "Criterium 3"
    assert official.item("justitie").help == zrm2017.item("justitie").help
    assert official.item("justitie").level_text(2) is None
    assert official.item("huisvesting") == zrm2017.item("huisvesting")
    assert zrm2017.item("financien").level_texts == ()  # the original is untouched


def test_official_texts_for_another_version_are_refused(
    tmp_path: Path, zrm2017: InstrumentDefinition
) -> None:
    path = write_json(
        tmp_path / "zrm-2013.json",
        {
            "definition_id": "zrm-2017",
            "definition_version": "2013",
            "items": {"financien": {"help": "x"}},
        },
    )
    with pytest.raises(InstrumentFileError, match="2013"):
        load_official_texts(zrm2017, path)


@pytest.mark.parametrize(
    "items",
    [
        {"dagbesteding": {"help": "x"}},  # not a 2017 domain
        {"financien": {"levels": {"6": "x"}}},  # no such level
        {"financien": {"levels": {"een": "x"}}},
        {"financien": {"hulp": "x"}},  # unknown field
    ],
)
def test_broken_official_texts_are_refused(
    tmp_path: Path, zrm2017: InstrumentDefinition, items: dict[str, object]
) -> None:
    path = write_json(
        tmp_path / "officieel.json",
        {"definition_id": "zrm-2017", "definition_version": "2017", "items": items},
    )
    with pytest.raises(InstrumentFileError):
        load_official_texts(zrm2017, path)


# --- broken definition files -----------------------------------------------------------


def shipped(name: str) -> dict[str, object]:
    data = json.loads((default_directory() / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_broken_json_gives_instrument_file_error(tmp_path: Path) -> None:
    (tmp_path / "kapot.json").write_text('{"format": 1, "id": ', encoding="utf-8")
    with pytest.raises(InstrumentFileError, match=r"kapot\.json") as info:
        load_definitions(tmp_path)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "change",
    [
        {"format": 2},
        {"kind": "wiel"},
        {"subject": "buurt"},
        {"levels": "1-5"},
        {"allows_not_discussed": "ja"},
        {"texts_source": "overgenomen"},
        {"extra_veld": 1},
        {"items": []},
    ],
)
def test_invalid_definition_gives_instrument_file_error(
    tmp_path: Path, change: dict[str, object]
) -> None:
    data = shipped("zrm-2017.json") | change
    write_json(tmp_path / "zrm-2017.json", data)
    with pytest.raises(InstrumentFileError):
        load_definitions(tmp_path)


def test_missing_field_and_duplicate_code(tmp_path: Path) -> None:
    data = shipped("zrm-2017.json")
    del data["guidance"]
    write_json(tmp_path / "a.json", data)
    with pytest.raises(InstrumentFileError, match="guidance"):
        load_definitions(tmp_path)

    data = shipped("zrm-2017.json")
    items = data["items"]
    assert isinstance(items, list)
    data["items"] = [*items, items[0]]
    write_json(tmp_path / "a.json", data)
    with pytest.raises(InstrumentFileError, match="financien"):
        load_definitions(tmp_path)


def test_same_definition_twice_is_refused(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", shipped("zrm-2017.json"))
    write_json(tmp_path / "b.json", shipped("zrm-2017.json"))
    with pytest.raises(InstrumentFileError, match="twice"):
        load_definitions(tmp_path)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(InstrumentFileError):
        load_definitions(tmp_path / "bestaat-niet")


def test_frozen_bundle_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert default_directory() == tmp_path / "resources" / "instruments"
