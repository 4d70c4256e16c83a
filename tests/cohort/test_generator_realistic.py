"""``--density realistic``: the EHR background's volume, its concepts, and that the screen ignores it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from immunospine.cohort import synthetic as generator
from immunospine.cohort.backends.duckdb import DuckDBBackend
from immunospine.cohort.concepts import all_concept_sets
from immunospine.cohort.omop_schema import CLINICAL_TABLES, check_directory, parquet_tables
from immunospine.cohort.runner import run_screen
from immunospine.cohort.synthetic import _background
from immunospine.cohort.synthetic.generator import ROW_ID_STRIDE
from immunospine.errors import InputError
from immunospine.services.cohort_data import evaluate_worklist
from tests.paths import SYNTHEA_ZIP

N, SEED = 2_000, 9


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    light, real = tmp_path_factory.mktemp("light"), tmp_path_factory.mktemp("real")
    generator.generate(light, N, SEED, chunk_size=1_000)
    generator.generate(real, N, SEED, chunk_size=1_000, density="realistic", layout="single")
    return light, real


def _rows(path: Path, table: str) -> int:
    return int(pq.ParquetFile(path / f"{table}.parquet").metadata.num_rows)


def test_realistic_volume_per_person(pair: tuple[Path, Path]) -> None:
    _, real = pair
    per_person = {t: _rows(real, t) / N for t in ("measurement", "condition_occurrence",
                                                 "drug_exposure", "visit_occurrence")}  # fmt: skip
    assert 85 <= per_person["measurement"] <= 115, per_person  # target ~100 (calibration)
    assert per_person["condition_occurrence"] >= 10 and per_person["drug_exposure"] >= 10
    assert per_person["visit_occurrence"] >= 10
    run = json.loads((real / generator.RUN_FILE).read_text())
    assert (run["density"], run["layout"], run["chunk_size"]) == ("realistic", "single", 1_000)


def test_background_concepts_are_in_no_concept_set() -> None:
    in_sets = set().union(*(s.ids for s in all_concept_sets().values()))
    assert not in_sets & _background.concept_ids()


def test_background_concepts_are_no_descendants_of_a_set_in_synthea27nj(tmp_path: Path) -> None:
    if not SYNTHEA_ZIP.is_file():
        pytest.skip(reason="Synthea27Nj sample not available")
    with zipfile.ZipFile(SYNTHEA_ZIP) as z:
        names = [
            n for n in z.namelist() if n.endswith(("/concept_ancestor.parquet", "/concept.parquet"))
        ]
        z.extractall(tmp_path, members=[n for n in names if "__MACOSX" not in n])
    root = tmp_path / "Synthea27NjParquet"
    anc = pq.read_table(root / "concept_ancestor.parquet")
    in_sets = np.array(sorted(set().union(*(s.ids for s in all_concept_sets().values()))))
    a = anc.column("ancestor_concept_id").to_numpy()
    d = anc.column("descendant_concept_id").to_numpy()
    below_a_set = set(d[np.isin(a, in_sets)].tolist())
    assert not below_a_set & _background.concept_ids()
    concept = pq.read_table(root / "concept.parquet", columns=["concept_id", "standard_concept"])
    known = dict(zip(concept.column(0).to_pylist(), concept.column(1).to_pylist(), strict=True))
    assert all(known.get(c) == "S" for c in _background.concept_ids()), "real standard concepts"


def test_clinical_rows_are_those_of_light(pair: tuple[Path, Path]) -> None:
    light, real = pair
    background = list(_background.concept_ids())
    for table in (*CLINICAL_TABLES, "truth"):
        a = pq.read_table(light / f"{table}.parquet")
        b = pq.read_table(real / f"{table}.parquet")
        id_col = f"{table}_id"
        if id_col in a.column_names:  # row ids shift: background rows follow each chunk's own
            a, b = a.drop_columns([id_col]), b.drop_columns([id_col])
        if table == "visit_occurrence":  # background visits are outpatient visits too
            assert b.num_rows > 2 * a.num_rows
            continue
        concept = next((c for c in b.column_names if c.endswith("_concept_id")), None)
        if table in ("measurement", "condition_occurrence", "drug_exposure") and concept:
            b = b.filter(pc.invert(pc.is_in(b.column(concept), pa.array(background, pa.int32()))))
        assert a.equals(b), table


def test_bad_density_and_layout(tmp_path: Path) -> None:
    with pytest.raises(InputError, match='density = "heavy": must be one of light, realistic'):
        generator.generate(tmp_path, 10, 1, density="heavy")
    with pytest.raises(InputError, match="layout"):
        generator.generate(tmp_path, 10, 1, layout="sharded")


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parts")
    res = generator.generate(out, N, SEED, chunk_size=1_000, density="realistic")
    assert res.layout == "partitioned" and all(p.exists() for p in res.files)
    return out


def test_partitioned_layout_has_a_part_per_chunk_and_reads_like_single(
    parts: Path, pair: tuple[Path, Path]
) -> None:
    _, single = pair
    check_directory(parts)
    assert sorted(parquet_tables(parts)) == sorted(parquet_tables(single))
    for table in (*CLINICAL_TABLES, "truth"):
        files = sorted((parts / table).glob("*.parquet"))
        assert [f.name for f in files] == ["part-00000.parquet", "part-00001.parquet"]
        first = pq.read_table(files[0]).column("person_id").to_numpy()
        assert first.max() <= 1_000 < pq.read_table(files[1]).column("person_id").to_numpy().min()
        joined = pa.concat_tables(pq.read_table(f) for f in files)
        flat = pq.read_table(single / f"{table}.parquet")
        id_col = f"{table}_id"
        if (
            id_col in flat.column_names and table != "person"
        ):  # partitioned: chunk i's ids start at i * 2**32 + 1
            ids = joined.column(id_col).to_numpy()
            assert ids[0] == 1 and ids[-1] > ROW_ID_STRIDE and np.unique(ids).size == ids.size
            joined, flat = joined.drop_columns([id_col]), flat.drop_columns([id_col])
        assert joined.equals(flat), table


@pytest.mark.slow
def test_duckdb_worklist_on_realistic_data_equals_light_and_evaluates(
    parts: Path, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    light, single = pair
    lists = {}
    for name, d in (("light", light), ("single", single), ("parts", parts)):
        backend = DuckDBBackend(d)
        try:
            run_screen(backend, tmp_path / f"{name}.parquet")
        finally:
            backend.close()
        lists[name] = pq.read_table(tmp_path / f"{name}.parquet")
    assert lists["light"].num_rows > 0
    assert lists["light"].equals(lists["single"]) and lists["light"].equals(lists["parts"])
    ev = evaluate_worklist(tmp_path / "parts.parquet", parts).to_dict()
    ev_light = evaluate_worklist(tmp_path / "light.parquet", light).to_dict()
    label = {"worklist", "worklist_label"}
    assert {k: v for k, v in ev.items() if k not in label} == {
        k: v for k, v in ev_light.items() if k not in label
    }
    assert evaluate_worklist(tmp_path / "parts.parquet", parts / "truth").to_dict() == ev


@pytest.mark.slow
def test_workers_write_the_same_files(parts: Path, tmp_path: Path) -> None:
    res = generator.generate(tmp_path, N, SEED, chunk_size=1_000, density="realistic", workers=2)
    assert res.rows == json.loads(json.dumps(res.rows)) and res.layout == "partitioned"
    for table in (*CLINICAL_TABLES, "truth"):
        for f in sorted((parts / table).glob("*.parquet")):
            assert pq.read_table(tmp_path / table / f.name).equals(pq.read_table(f)), f
    with pytest.raises(InputError, match="needs --layout partitioned"):
        generator.generate(tmp_path / "x", 10, 1, layout="single", workers=2)
    with pytest.raises(InputError, match="workers = 0: must be between 1 and 64"):
        generator.generate(tmp_path / "x", 10, 1, workers=0)


def test_a_table_in_both_layouts_is_refused(parts: Path, tmp_path: Path) -> None:
    d = tmp_path / "both"
    d.mkdir()
    (d / "person").mkdir()
    (d / "person" / "part-00000.parquet").write_bytes(
        (parts / "person" / "part-00000.parquet").read_bytes()
    )
    (d / "person.parquet").write_bytes((parts / "person" / "part-00000.parquet").read_bytes())
    with pytest.raises(InputError, match=r"both as <table>\.parquet and as a <table>/ folder"):
        DuckDBBackend(d)


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_spark_screens_partitioned_data_like_duckdb(parts: Path, tmp_path: Path) -> None:
    from immunospine.cohort.backends.spark import SparkBackend, spark_available

    if spark_available() is not None:
        pytest.skip(reason=str(spark_available()))
    out = {}
    for name, make in (("duckdb", DuckDBBackend), ("spark", SparkBackend)):
        backend = make(parts)
        try:
            run_screen(backend, tmp_path / f"{name}.parquet")
        finally:
            backend.close()
        out[name] = pq.read_table(tmp_path / f"{name}.parquet")
    cols = ["person_id", "rank", "category"]
    assert out["duckdb"].select(cols).to_pylist() == out["spark"].select(cols).to_pylist()
