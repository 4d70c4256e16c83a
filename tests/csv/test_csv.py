"""CSV import/export: round trips, every bad row reported, nothing imported, duplicates refused."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from immunospine.cli import main
from immunospine.demo.clinic import clinic
from immunospine.errors import InputError
from immunospine.records import Timeline
from immunospine.services import csv_interchange, database
from immunospine.storage.uow import Database
from immunospine.tabular import csv_format
from tests.fhir.strategies import timelines

HEADER = "record_type,patient_id,year_of_birth,sex,collected_on,test,value,unit,positive,recorded_at,pain_nrs,flare\n"


def _rows(tl: Timeline) -> list[dict[str, str]]:
    pid = tl.patient.patient_id
    rows = [csv_format.record_row(tl.patient, pid)]
    rows += [csv_format.record_row(d, pid) for d in tl.patient.diagnoses]
    return rows + [csv_format.record_row(e.record, pid) for e in tl.entries]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_any_valid_record_survives_csv_unchanged(tl: Timeline) -> None:
    text = csv_format.write_csv(_rows(tl))
    parsed = csv_format.parse_csv([("all.csv", text)])
    assert [p for _, p in parsed.patients] == [tl.patient.model_copy(update={"diagnoses": ()})]
    assert [d for _, _, d in parsed.diagnoses] == list(tl.patient.diagnoses)
    assert Counter(_key(r) for _, r in parsed.entries) == Counter(
        _key(e.record) for e in tl.entries
    )


def _key(record: Any) -> str:
    return json.dumps(record.model_dump(mode="json"), sort_keys=True)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    handle = database.open_database(f"sqlite:///{tmp_path / 'csv.db'}")
    database.upgrade(handle)
    return handle


def _count(db: Database) -> int:
    with db.transaction() as uow:
        return len(uow.patients.ids())


def test_demo_round_trip_through_cli_dir_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = [f"sqlite:///{tmp_path / n}" for n in ("a.db", "b.db", "c.db")]
    for url in urls:
        assert main(["db", "upgrade", "--db", url]) == 0
    assert (
        main(
            [
                "demo",
                "seed",
                "--db",
                urls[0],
                "--patients",
                "3",
                "--seed",
                "9",
                "--diary-days",
                "10",
            ]
        )
        == 0
    )
    assert main(["csv", "export", "--db", urls[0], "--out", str(tmp_path / "dir")]) == 0
    assert main(["csv", "export", "--db", urls[0], "--out", str(tmp_path / "all.csv")]) == 0
    files = sorted(str(p) for p in (tmp_path / "dir").glob("*.csv"))
    assert len(files) == 8
    assert main(["csv", "import", "--db", urls[1], *files]) == 0
    assert main(["csv", "import", "--db", urls[2], str(tmp_path / "all.csv")]) == 0
    capsys.readouterr()
    exports = []
    for url in urls:
        assert (
            main(["csv", "export", "--db", url, "--out", str(tmp_path / f"x{len(exports)}.csv")])
            == 0
        )
        exports.append((tmp_path / f"x{len(exports)}.csv").read_text(encoding="utf-8"))
    assert exports[0] == exports[1] == exports[2]
    assert main(["csv", "import", "--db", urls[1], *files]) == 2
    err = capsys.readouterr().err
    assert err.count("\n  ") == 50 + 2  # the first 50 problems, how many more, and --all
    assert "more problem(s) not listed" in err and "--all" in err
    assert main(["csv", "import", "--db", urls[1], *files, "--all"]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "already stored" in err and "not listed" not in err


def test_every_bad_row_is_reported_and_nothing_imported(db: Database) -> None:
    text = HEADER + "\n".join(
        [
            "patient,P1,1980,female,,,,,,,,",
            "patient,P2,nineteen,martian,,,,,,,,",  # row 3: two bad cells
            "lab_result,P1,,,2020-01-01,crp,abc,mg/L,,,,",  # row 4: value not a number
            "lab_result,P1,,,2020-01-01,crp,5,mg/dL,,,,",  # row 5: wrong unit (record rule)
            "diary_entry,P1,,,,,,,,2020-01-01T08:00:00,4,false",  # row 6: no time zone
            "lab_result,P9,,,2020-01-01,esr,5,mm/h,,,,",  # row 7: unknown patient
            "lab_result,P1,,,1970-01-01,esr,5,mm/h,,,,",  # row 8: before birth
            "banana,P1,,,,,,,,,,",  # row 9: unknown record type
            "lab_result,P1,1980,,2020-01-01,esr,5,mm/h,,,,",  # row 10: column of another type
        ]
    )
    with pytest.raises(InputError) as exc:
        csv_interchange.import_csv(db, [("clinic.csv", text)], actor="t")
    found = {(p.loc[1], p.loc[2]) for p in exc.value.problems}
    assert {
        (3, "year_of_birth"),
        (3, "sex"),
        (4, "value"),
        (5, "unit"),
        (6, "recorded_at"),
    } <= found
    assert {(9, "record_type"), (10, "year_of_birth")} <= found
    assert "allowed: female, male, other, unknown" in str(exc.value)
    assert _count(db) == 0
    # The file is now fixed except for database-level problems: unknown patient, before birth.
    fixed = HEADER + "\n".join(
        [
            "patient,P1,1980,female,,,,,,,,",
            "lab_result,P9,,,2020-01-01,esr,5,mm/h,,,,",
            "lab_result,P1,,,1970-01-01,esr,5,mm/h,,,,",
            "lab_result,P1,,,2020-01-01,esr,5,mm/h,,,,",
            "lab_result,P1,,,2020-01-01,esr,5,mm/h,,,,",
        ]
    )
    with pytest.raises(InputError) as exc:
        csv_interchange.import_csv(db, [("clinic.csv", fixed)], actor="t")
    codes = {(p.loc[1], p.code) for p in exc.value.problems}
    assert codes == {(3, "not_found"), (4, "before_birth"), (6, "duplicate")}
    assert _count(db) == 0


def test_rows_may_add_to_stored_patients_but_not_repeat_them(db: Database) -> None:
    first = HEADER + "patient,P1,1980,male,,,,,,,,\nlab_result,P1,,,2020-01-01,hla_b27,,,true,,,\n"
    assert csv_interchange.import_csv(db, [("a.csv", first)], actor="t").patients == 1
    more = HEADER + "lab_result,P1,,,2021-01-01,crp,3.5,mg/L,,,,\n"
    assert csv_interchange.import_csv(db, [("b.csv", more)], actor="t").records == {"lab_result": 1}
    with pytest.raises(InputError, match="already stored"):
        csv_interchange.import_csv(db, [("b.csv", more)], actor="t")


def test_unknown_and_missing_columns() -> None:
    with pytest.raises(InputError) as exc:
        csv_format.parse_csv([("x.csv", "patient_id,colour\nP1,red\n")])
    assert {p.loc[2] for p in exc.value.problems} == {"colour", "record_type"}


def test_demo_rows_parse_back() -> None:
    (tl,) = clinic(1, seed=2, diary_days=3)
    parsed = csv_format.parse_csv([("all.csv", csv_format.write_csv(_rows(tl)))])
    assert len(parsed.entries) == len(tl.entries)


def test_reference_doc_lists_every_column_and_record_type() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs/reference/csv-format.md").read_text(
        encoding="utf-8"
    )
    for column, (_kind, allowed, _desc) in csv_format.COLUMNS.items():
        assert f"| `{column}` |" in doc
        for value in allowed or ():
            assert f"`{value}`" in doc
    for record_type in csv_format.RECORD_COLUMNS:
        assert f"| `{record_type}` |" in doc


def test_doc_example_imports(db: Database) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs/reference/csv-format.md").read_text(
        encoding="utf-8"
    )
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    summary = csv_interchange.import_csv(db, [("example.csv", example)], actor="t")
    assert summary.patients == 1 and summary.records["lab_result"] == 2


def _cli_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["db", "upgrade", "--db", url]) == 0
    return url


def test_future_dated_assessment_in_csv_import_exits_2_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _cli_db(tmp_path)
    path = tmp_path / "future.csv"
    inputs = '"{""q1"": 6, ""q2"": 7, ""q3"": 3, ""q4"": 4, ""q5"": 6, ""q6"": 5}"'
    path.write_text(
        "record_type,patient_id,year_of_birth,sex,assessed_on,calculator,inputs_json\n"
        "patient,P1,1980,female,,,\n"
        f"assessment,P1,,,2999-01-01,basdai,{inputs}\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["csv", "import", "--db", url, str(path)]) == 2
    err = capsys.readouterr().err
    assert 'future.csv row 3, column assessed_on = "2999-01-01": is in the future' in err
    assert "Traceback" not in err and "validation error" not in err
    handle = database.open_database(url)
    assert _count(handle) == 0
    handle.dispose()


def test_truncated_file_hides_no_other_problem_and_rows_count_from_the_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Row 1 is the header, blank rows count; a cut-off last row and 60 unknown patients: all
    61 problems in one pass, the first 50 printed, then the count; --all prints every one."""
    url = _cli_db(tmp_path)
    rows = [HEADER.rstrip("\n"), "patient,P1,1980,female,,,,,,,,", ""]  # rows 1–3
    rows += [f"lab_result,X{i},,,2020-01-01,esr,5,mm/h,,,," for i in range(60)]  # rows 4–63
    rows += ["lab_result,P1,,,2020-01-01,es"]  # row 64: cut off
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        csv_interchange.import_csv(
            database.open_database(url), [("cut.csv", path.read_text())], actor="t"
        )
    found = [(p.loc[1], p.loc[2], p.code) for p in exc.value.problems]
    assert found == [(4 + i, "patient_id", "not_found") for i in range(60)] + [
        (64, "(row)", "cell_count")
    ]
    assert "a truncated row?" in str(exc.value)
    assert main(["csv", "import", "--db", url, str(path)]) == 2
    err = capsys.readouterr().err
    assert "61 problem(s)" in err and "cut.csv row 53," in err and "cut.csv row 54," not in err
    assert "… and 11 more problem(s) not listed" in err and "--all" in err
    assert main(["csv", "import", "--db", url, str(path), "--all"]) == 2
    err = capsys.readouterr().err
    assert "cut.csv row 64, column (row): has fewer cells (6) than the header (12)" in err
    assert "not listed" not in err


def test_a_bad_patient_row_does_not_make_its_records_unknown(db: Database) -> None:
    text = HEADER + "patient,P1,1980,martian,,,,,,,,\nlab_result,P1,,,2020-01-01,esr,x,mm/h,,,,\n"
    with pytest.raises(InputError) as exc:
        csv_interchange.import_csv(db, [("p.csv", text)], actor="t")
    assert [(p.loc[1], p.loc[2]) for p in exc.value.problems] == [(2, "sex"), (3, "value")]


def test_csv_export_writes_into_an_existing_folder_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _cli_db(tmp_path)
    missing = tmp_path / "no" / "such" / "all.csv"
    assert main(["csv", "export", "--db", url, "-o", str(missing)]) == 2
    assert f"the folder {missing.parent} does not exist" in capsys.readouterr().err
    assert main(["csv", "export", "--db", url, "-o", str(tmp_path / "empty.csv")]) == 0
    assert "row 1 is the header" in capsys.readouterr().out
