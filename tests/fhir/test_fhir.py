"""FHIR R4 export/import: round trips (demo clinic, any valid record), malformed bundles, duplicates."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from immunospine.cli import main
from immunospine.demo.clinic import clinic
from immunospine.fhir.export import bundle_of, normalised
from immunospine.fhir.reader import read_bundle
from immunospine.fhir.validation import FhirImportError, model_problems
from immunospine.records import Timeline
from immunospine.services import interop
from immunospine.storage.uow import Database
from tests.fhir.strategies import timelines
from tests.storage.dbfixtures import db, db_url  # noqa: F401

DEMO = list(clinic(4, seed=11, diary_days=15))


def _same(a: Timeline, b: Timeline) -> None:
    assert a.patient == b.patient
    assert [e.record.model_copy(update={"id": None}) for e in a.entries] == [
        e.record.model_copy(update={"id": None}) for e in b.entries
    ]


def test_every_exported_resource_is_valid_r4b() -> None:
    bundle = bundle_of(DEMO, identifier="t")
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert types == {
        "Patient",
        "Condition",
        "Questionnaire",
        "QuestionnaireResponse",
        "Observation",
        "MedicationStatement",
        "Procedure",
    }
    for entry in bundle["entry"]:
        assert model_problems(entry["resource"]) == []
    questionnaires = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Questionnaire"
    ]
    assert len({(q["url"], q["version"]) for q in questionnaires}) == len(questionnaires)
    assert all(
        q["url"].startswith("https://immunospine.org/fhir/Questionnaire/") for q in questionnaires
    )
    codes = json.dumps(bundle)
    assert '"code": "1988-5"' in codes and '"code": "26028-1"' in codes


def test_demo_clinic_export_import_export_gives_the_same_content(
    db: Database,  # noqa: F811
    tmp_path: Path,
) -> None:
    first = bundle_of(DEMO, identifier="first")
    (tmp_path / "first.json").write_text(json.dumps(first), encoding="utf-8")
    summary = interop.import_fhir(db, tmp_path / "first.json", actor="test")
    assert summary.patients == len(DEMO)
    exported = interop.export_fhir(db, tmp_path / "again.json", actor="test")
    assert exported.patients == len(DEMO) and exported.resources == len(first["entry"])
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert again["identifier"]["value"] != "first"
    assert normalised(again) == normalised(first)
    for original, back in zip(DEMO, read_bundle(again).timelines, strict=True):
        _same(original, back)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_any_valid_record_survives_fhir_unchanged(tl: Timeline) -> None:
    bundle = json.loads(json.dumps(bundle_of([tl], identifier="h")))
    (back,) = read_bundle(bundle).timelines
    _same(tl, back)
    assert normalised(bundle_of([back], identifier="other")) == normalised(bundle)


def _break(bundle: dict[str, Any]) -> dict[str, Any]:
    b = copy.deepcopy(bundle)
    entries = b["entry"]
    kinds = [e["resource"]["resourceType"] for e in entries]
    entries[0]["resource"]["gender"] = "bogus"  # bad code (binding not enforced by the models)
    obs = [i for i, k in enumerate(kinds) if k == "Observation"]
    del entries[obs[0]]["resource"]["status"]  # missing required element
    entries[obs[1]]["resource"]["subject"]["reference"] = "urn:uuid:nowhere"  # broken reference
    entries[obs[2]]["resource"]["resourceType"] = "Observashun"  # wrong resourceType
    return b


def test_malformed_bundle_lists_every_problem_and_imports_nothing(db: Database) -> None:  # noqa: F811
    bad = _break(bundle_of(DEMO[:1], identifier="bad"))
    with pytest.raises(FhirImportError) as exc:
        interop.import_fhir(db, bad, actor="test")
    found = {
        (p.loc[1], p.loc[2], p.code if p.code == "broken_reference" else "")
        for p in exc.value.problems
    }
    kinds = [e["resource"]["resourceType"] for e in bad["entry"]]
    obs = [i for i, k in enumerate(kinds) if k in ("Observation", "Observashun")]
    locs = {p.loc[:4] for p in exc.value.problems}
    assert ("entry", 0, "Patient", "gender") in locs
    assert ("entry", obs[0], "Observation", "status") in locs
    assert (obs[1], "Observation", "broken_reference") in found
    assert ("entry", obs[2], "Observashun", "resourceType") in locs
    assert "problem(s)" in str(exc.value)
    with db.transaction() as uow:
        assert uow.patients.ids() == []


def test_not_a_bundle_is_rejected() -> None:
    with pytest.raises(FhirImportError) as exc:
        read_bundle({"resourceType": "Patient"})
    assert exc.value.problems[0].loc == ("bundle", "resourceType")


def test_tampered_score_and_unknown_version_are_reported() -> None:
    b = bundle_of(DEMO[:1], identifier="x")
    scores = [e["resource"] for e in b["entry"] if "derivedFrom" in e["resource"]]
    scores[0]["valueQuantity"]["value"] = 99.5
    scores[1]["code"]["coding"][-1]["version"] = "0.0"
    with pytest.raises(FhirImportError) as exc:
        read_bundle(b)
    msgs = " | ".join(p.msg for p in exc.value.problems)
    assert "recomputed score" in msgs and "cannot verify" in msgs


def test_duplicate_import_is_refused(db: Database) -> None:  # noqa: F811
    bundle = bundle_of(DEMO[:2], identifier="dup")
    interop.import_fhir(db, bundle, actor="test")
    with pytest.raises(FhirImportError) as exc:
        interop.import_fhir(db, bundle, actor="test")
    fields = [p.loc[0] for p in exc.value.problems]
    assert fields.count("bundle") == 1 and fields.count("patient") == 2
    assert "already imported" in str(exc.value)


def test_cli_export_import_and_duplicate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, dst = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    for url in (src, dst):
        assert main(["db", "upgrade", "--db", url]) == 0
    assert (
        main(["demo", "seed", "--db", src, "--patients", "2", "--seed", "5", "--diary-days", "5"])
        == 0
    )
    out = tmp_path / "bundle.json"
    assert (
        main(["fhir", "export", "--db", src, "--patient", "demo-s5-00001", "--out", str(out)]) == 0
    )
    assert main(["fhir", "import", "--db", dst, str(out)]) == 0
    assert "imported 1 patient(s)" in capsys.readouterr().out
    assert main(["fhir", "import", "--db", dst, str(out)]) == 2
    assert "already imported" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert main(["fhir", "import", "--db", dst, str(tmp_path / "bad.json")]) == 2
