"""``cohort concepts`` and concept resolution on real and synthetic CDMs.

Synthea27Nj (OHDSI's 28-person sample, CDM 5.4 with a 2,294-concept vocabulary subset and an
empty ``concept_ancestor``) resolves the sets it has codes for; the generator's vocabulary subset
makes synthetic data resolve every set the way a site would.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

from immunospine.cli import main
from immunospine.cohort import synthetic
from immunospine.cohort.backends.duckdb import DuckDBBackend
from immunospine.cohort.params import ScreenConcepts
from immunospine.cohort.plan import INPUT_COLUMNS, ScreenPlan
from immunospine.cohort.runner import resolve_concepts, run_screen
from immunospine.cohort.synthetic import _chunk
from immunospine.errors import InputError, OmopSchemaError
from immunospine.reports.cohort import screen_summary_lines
from immunospine.services import cohort_concepts
from tests.cohort.test_engine_support import build_testbed, random_population
from tests.paths import SYNTHEA_ZIP

#: The sets that resolve on Synthea27Nj, and the concept each resolves to there.
SYNTHEA_RESOLVES = {"chronic_back_pain": {4132891}, "crp": {3020460}, "nsaids": {1177480}}


@pytest.fixture(scope="module")
def synthea(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SYNTHEA_ZIP.is_file():
        pytest.skip(reason=f"{SYNTHEA_ZIP} is not available")
    out = tmp_path_factory.mktemp("synthea")
    with zipfile.ZipFile(SYNTHEA_ZIP) as zf:
        members = [m for m in zf.namelist() if m.endswith(".parquet") and "__MACOSX" not in m]
        zf.extractall(out, members)
    return out / "Synthea27NjParquet"


@pytest.fixture(scope="module")
def cdm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cdm")
    synthetic.generate(out, 4_000, seed=3, chunk_size=2_000)
    return out


def test_synthea27nj_resolves_the_sets_it_has_codes_for(synthea: Path) -> None:
    report = cohort_concepts.resolve_concepts(cohort_concepts.ConceptsRequest(data=synthea))
    res = report.resolution
    assert res.source == "vocabulary" and res.mapping and res.expanded
    resolved = {name: set(s.ids) for name, s in res.sets.items() if s.ids}
    assert resolved == SYNTHEA_RESOLVES
    assert report.counts["chronic_back_pain"] == {4132891: 5}
    # every other code is absent from its 2,294-concept vocabulary subset
    statuses = {c.status for s in res.sets.values() for c in s.codes if not c.resolved}
    assert statuses == {"absent"}


def test_synthea27nj_cli_report(synthea: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cohort", "concepts", "--data", str(synthea)]) == 0
    out = capsys.readouterr().out
    assert "chronic_back_pain" in out and "-> 4132891" in out
    assert "NOT RESOLVED: not in this CDM's concept table" in out
    assert "= 1 of 4 concepts resolved; 1 concept ids; 5 records" in out
    assert main(["cohort", "concepts", "--data", str(synthea), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_name = {s["name"]: s for s in data["sets"]}
    assert by_name["crp"]["resolved"] == 1 and by_name["ibd"]["resolved"] == 0
    code = next(c for c in by_name["chronic_back_pain"]["codes"] if c["code"] == "278860009")
    assert (code["status"], code["concept_ids"], code["records"]) == ("standard", [4132891], 5)


def test_synthea27nj_screen_reports_unresolved_codes(synthea: Path, tmp_path: Path) -> None:
    backend = DuckDBBackend(synthea)
    try:
        summary = run_screen(backend, tmp_path / "w.parquet")
    finally:
        backend.close()
    assert summary.concept_source == "vocabulary" and summary.screened == 5
    assert "uveitis: SNOMED 128473001 (not in this CDM's concept table)" in summary.unresolved_codes
    assert any("do not resolve" in line for line in screen_summary_lines(summary))


def test_generated_data_resolves_every_set_by_code(
    cdm: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cohort", "concepts", "--data", str(cdm), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == "vocabulary"
    for s in data["sets"]:
        assert s["resolved"] == s["concepts"], s["name"]
        assert s["concept_ids"] > 0, s["name"]
    records = {s["name"]: s["records"] for s in data["sets"]}
    for name in ("chronic_back_pain", "enthesitis", "family_history_spa", "sij_imaging", "crp"):
        assert records[name] > 0, name


def _known_ids() -> ScreenConcepts:
    """The ids the generator writes for the sets without shipped ids, taken from the generator."""
    return dataclasses.replace(
        ScreenConcepts.shipped(),
        enthesitis=frozenset(i for i, _ in _chunk.ENTHESITIS),
        dactylitis=frozenset({_chunk.DACTYLITIS}),
        family_history=frozenset(i for i, _ in _chunk.FAMHX),
        sij_imaging=frozenset({_chunk.SIJ_MRI, _chunk.SIJ_XRAY}),
    )


def _sorted(t: pa.Table) -> pa.Table:
    return t.sort_by("person_id")


def test_generated_worklist_is_the_same_resolved_by_code_or_by_known_ids(cdm: Path) -> None:
    backend = DuckDBBackend(cdm)
    try:
        tables = {t: backend.table(t) for t in INPUT_COLUMNS}
        resolved = resolve_concepts(backend)
        by_code = backend.fetch(ScreenPlan(resolved.concepts).worklist(tables))
        by_ids = backend.fetch(ScreenPlan(_known_ids()).worklist(tables))
    finally:
        backend.close()
    assert resolved.source == "vocabulary" and resolved.unresolved == ()
    assert by_code.num_rows > 100
    assert _sorted(by_code).equals(_sorted(by_ids))
    enthesitis = by_code.column("enthesitis_heel").to_pylist()
    assert any(v is True for v in enthesitis)


def test_without_vocabulary_the_summary_says_shipped_ids(tmp_path: Path) -> None:
    people = random_population(seed=3, n=40)
    tb = build_testbed(people)
    tb.vocabulary = False
    backend = DuckDBBackend(tb.write_parquet(tmp_path / "omop"))
    try:
        summary = run_screen(backend, tmp_path / "w.parquet")
    finally:
        backend.close()
    assert summary.concept_source == "shipped"
    assert (
        "enthesitis: SNOMED 11654001 (no vocabulary table and no shipped id: cannot be matched)"
        in (summary.unresolved_codes)
    )
    lines = screen_summary_lines(summary)
    assert any("no concept table" in line for line in lines)


def test_errors_name_the_flag_or_the_missing_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cohort", "concepts", "--data", str(tmp_path / "nope")]) != 0
    assert "cohort concepts: --data" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(OmopSchemaError, match="no OMOP tables"):
        cohort_concepts.resolve_concepts(cohort_concepts.ConceptsRequest(data=empty))
    partial = build_testbed(random_population(seed=1, n=3)).write_parquet(tmp_path / "p")
    (partial / "drug_exposure.parquet").unlink()
    with pytest.raises(OmopSchemaError, match="drug_exposure"):
        cohort_concepts.resolve_concepts(cohort_concepts.ConceptsRequest(data=partial))
    with pytest.raises(InputError, match="backend"):
        cohort_concepts.resolve_concepts(
            cohort_concepts.ConceptsRequest(data=partial, backend="oracle")
        )
    assert main(["cohort", "concepts", "--help"]) == 0
    assert "Maps to" in capsys.readouterr().out
