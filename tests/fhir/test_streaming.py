"""Streaming FHIR: the entry-by-entry reader, any entry order, all-or-nothing, the CLI's errors."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pytest

from immunospine.cli import main
from immunospine.demo.clinic import clinic
from immunospine.fhir.bundle_stream import BundleStream, BundleSyntaxError
from immunospine.fhir.bundle_writer import write_bundle
from immunospine.fhir.export import bundle_head, bundle_of, normalised
from immunospine.fhir.reader import read_bundle
from immunospine.fhir.validation import FhirImportError, model_problems
from immunospine.services import interop
from immunospine.storage.uow import Database
from tests.storage.dbfixtures import db, db_url  # noqa: F401

DEMO = list(clinic(3, seed=4, diary_days=6))
FUTURE = "2999-01-01"


def _stream(text: str, chunk: int) -> tuple[dict[str, Any], list[Any]]:
    stream = BundleStream(io.BytesIO(text.encode("utf-8")), chunk_bytes=chunk)
    entries = [e for _, e in stream.entries()]
    return stream.members, entries


@pytest.mark.parametrize("chunk", [1, 2, 7, 100, 1 << 20])
def test_stream_reads_any_layout_in_any_chunk_size(chunk: int) -> None:
    doc = {
        "resourceType": "Bundle",
        "entry": [{"n": i, "x": 1.5e3, "s": "é" * i, "l": [True, None]} for i in range(30)],
        "total": 123456789,  # a number member after the entries: must not be cut at a chunk end
    }
    for text in (json.dumps(doc), json.dumps(doc, indent=2, ensure_ascii=False)):
        members, entries = _stream(text, chunk)
        assert entries == doc["entry"]
        assert members == {"resourceType": "Bundle", "total": 123456789}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"entry": [{"a": 1},]}', "line 1, column 21"),
        ('{"entry": [{"a": 1}', "found the end of the file"),
        ("[1]", "expected a JSON object"),
        ('{"a": 1} x', "unexpected text"),
        ('{"entry": [{"a": 1}\n, {"b": tru}]}', "line 2, column 9"),
    ],
)
def test_stream_names_where_the_json_is_broken(text: str, where: str) -> None:
    for chunk in (1, 64):
        with pytest.raises(BundleSyntaxError, match=where):
            _stream(text, chunk)


def test_written_bundle_is_one_json_document_equal_to_the_in_memory_one() -> None:
    out = io.StringIO()
    head = bundle_head("w")
    entries = bundle_of(DEMO, identifier="w")["entry"]
    assert write_bundle(out, head, entries) == len(entries)
    assert json.loads(out.getvalue()) == {**head, "entry": entries}


def _content(timelines: Any) -> dict[str, Any]:
    return {
        tl.patient.patient_id: (
            tl.patient,
            sorted(json.dumps(e.to_dict(), sort_keys=True, default=str) for e in tl.entries),
        )
        for tl in timelines
    }


def test_entries_in_any_order_read_the_same() -> None:
    """A score before its QuestionnaireResponse, a Condition before its Patient: all resolved."""
    bundle = json.loads(json.dumps(bundle_of(DEMO, identifier="o")))
    expected = _content(read_bundle(bundle).timelines)
    rng = random.Random(8)
    for _ in range(3):
        shuffled = {**bundle, "entry": rng.sample(bundle["entry"], len(bundle["entry"]))}
        assert _content(read_bundle(shuffled).timelines) == expected


def test_valid_shape_cache_does_not_hide_a_bad_value() -> None:
    (tl,) = clinic(1, seed=3, diary_days=2)
    bundle = bundle_of([tl], identifier="c")
    imaging = next(
        e["resource"]
        for e in bundle["entry"]
        if "imaging" in json.dumps(e["resource"].get("category"))
        and "valueInteger" in json.dumps(e["resource"])
    )
    assert model_problems(imaging) == []
    huge = json.loads(json.dumps(imaging).replace('"valueInteger": ', '"valueInteger": 9999999999'))
    assert model_problems(huge) != []  # beyond a FHIR integer
    feb30 = {**imaging, "effectiveDateTime": "2021-02-30"}
    assert model_problems(feb30) != []  # not a calendar date


def _seeded(tmp_path: Path) -> tuple[str, str]:
    src, dst = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    for url in (src, dst):
        assert main(["db", "upgrade", "--db", url]) == 0
    seed = ["demo", "seed", "--db", src, "--patients", "2", "--seed", "5", "--diary-days", "3"]
    assert main(seed) == 0
    return src, dst


def _count_patients(url: str) -> int:
    handle = Database.connect(url)
    try:
        with handle.transaction() as uow:
            return len(uow.patients.ids())
    finally:
        handle.dispose()


def test_future_dated_assessment_in_fhir_import_exits_2_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, dst = _seeded(tmp_path)
    out = tmp_path / "bundle.json"
    assert main(["fhir", "export", "--db", src, "-o", str(out)]) == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    score = next(e["resource"] for e in bundle["entry"] if "derivedFrom" in e["resource"])
    score["effectiveDateTime"] = FUTURE
    out.write_text(json.dumps(bundle), encoding="utf-8")
    capsys.readouterr()
    assert main(["fhir", "import", "--db", dst, str(out)]) == 2
    err = capsys.readouterr().err
    assert f'assessed_on = "{FUTURE}": is in the future' in err
    assert "Traceback" not in err and "validation error" not in err
    assert _count_patients(dst) == 0


def test_fhir_export_out_must_be_a_file_in_an_existing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, _ = _seeded(tmp_path)
    missing = tmp_path / "no" / "such" / "bundle.json"
    assert main(["fhir", "export", "--db", src, "--out", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f'-o/--out = "{missing}"' in err and f"the folder {missing.parent} does not exist" in err
    assert main(["fhir", "export", "--db", src, "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f'-o/--out = "{tmp_path}": is a folder' in err
    assert not missing.parent.exists()
    assert main(["fhir", "export", "--db", src, "-o", str(tmp_path / "ok.json")]) == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_fhir_export_unknown_patient_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, _ = _seeded(tmp_path)
    out = tmp_path / "b.json"
    assert main(["fhir", "export", "--db", src, "-o", str(out), "--patient", "nobody"]) == 2
    assert '--patient = "nobody": no such patient' in capsys.readouterr().err
    assert not out.exists()


def test_import_refuses_everything_when_a_late_entry_is_bad(db: Database, tmp_path: Path) -> None:  # noqa: F811
    bundle = json.loads(json.dumps(bundle_of(DEMO, identifier="late")))
    last_lab = max(
        i
        for i, e in enumerate(bundle["entry"])
        if "laboratory" in json.dumps(e["resource"].get("category"))
    )
    bundle["entry"][last_lab]["resource"]["effectiveDateTime"] = FUTURE
    path = tmp_path / "late.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    with pytest.raises(FhirImportError) as exc:
        interop.import_fhir(db, path, actor="t")
    assert [p.loc[:3] for p in exc.value.problems] == [("entry", last_lab, "Observation")]
    with db.transaction() as uow:
        assert uow.patients.ids() == []


def test_progress_is_reported_with_counts(db: Database, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "p.json"
    path.write_text(json.dumps(bundle_of(DEMO, identifier="p")), encoding="utf-8")
    seen: list[tuple[str, int, int]] = []
    interop.import_fhir(db, path, actor="t", on_progress=lambda *a: seen.append(a))
    checks = [s for s in seen if s[0] == "checking"]
    imports = [s for s in seen if s[0] == "importing"]
    assert checks[-1][1] == checks[-1][2] == path.stat().st_size
    assert imports[-1][1] == imports[-1][2] == len(imports)
    seen.clear()
    summary = interop.export_fhir(
        db, tmp_path / "e.json", actor="t", on_progress=lambda *a: seen.append(a)
    )
    assert seen[-1] == ("exporting", len(DEMO), len(DEMO)) == ("exporting", summary.patients, 3)
    again = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert normalised(again) == normalised(bundle_of(DEMO, identifier="x"))
