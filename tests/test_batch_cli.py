"""``immunospine calc-batch``: CSV and Parquet in and out, invalid rows reported, exit codes."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from immunospine.cli import main
from immunospine.knowledge import calculate
from tests.test_batch import ASDAS_ROW, _asdas

CSV = """patient_id,back_pain,morning_stiffness_duration,patient_global,peripheral_pain,crp_mg_l
p1,6,5,6,4,10
p2,6,5,6,4,
p3,6,5,6,4,high
p4,1,1,0,0,1
"""


def test_cli_scores_a_csv_and_reports_invalid_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.parquet"
    source.write_text(CSV, encoding="utf-8")
    code = main(
        ["calc-batch", "asdas_crp", "-i", str(source), "-o", str(target), "--carry", "patient_id"]
    )
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "4 rows, 2 scored, 2 invalid" in captured.err
    assert "the header is row 1" in captured.err
    assert "row 3: crp_mg_l = null: is required" in captured.err  # p2: the file's third line
    assert 'row 4: crp_mg_l = "high": must be a number' in captured.err
    out = pq.read_table(target)
    assert out.column("patient_id").to_pylist() == ["p1", "p2", "p3", "p4"]
    assert out.column("category").to_pylist() == ["high", None, None, "inactive"]


def test_cli_valid_file_exits_0_and_passes_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "in.parquet", tmp_path / "out.csv"
    pq.write_table(pa.table(_asdas(2)), source)
    code = main(
        [
            "calc-batch",
            "asdas_crp",
            "-i",
            str(source),
            "-o",
            str(target),
            "--option",
            "coefficients=rounded",
        ]
    )
    assert code == 0 and "2 scored, 0 invalid" in capsys.readouterr().err
    out = pacsv.read_csv(target)
    single = calculate("asdas_crp", **ASDAS_ROW, coefficients="rounded")
    assert out.column("score").to_pylist() == pytest.approx([single.score] * 2)
    assert out.column("category").to_pylist() == [single.category] * 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--option", "coefficients"], '--option = "coefficients": must look like KEY=VALUE'),
        (["--option", "coefficients=7"], "coefficients = 7"),
        (["--carry", "nope"], "--carry"),
        ([], "patient_id: is not an input of asdas_crp"),
    ],
)
def test_cli_file_problems_exit_2_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(CSV, encoding="utf-8")
    assert main(["calc-batch", "asdas_crp", "-i", str(source), "-o", str(target), *args]) == 2
    assert words in capsys.readouterr().err
    assert not target.exists()


@pytest.mark.parametrize(
    ("source", "target", "words"),
    [
        ("in.txt", "out.csv", "--input = "),
        ("in.csv", "out.json", "--out = "),
        ("missing.csv", "out.csv", "does not exist"),
        ("bad.parquet", "out.csv", "cannot be read as parquet"),
        ("in.csv", "no/such/dir/out.csv", "cannot be written"),
    ],
)
def test_cli_bad_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, target: str, words: str
) -> None:
    (tmp_path / "in.csv").write_text("back_pain\n1\n", encoding="utf-8")
    (tmp_path / "in.txt").write_text("", encoding="utf-8")
    (tmp_path / "bad.parquet").write_text("not parquet", encoding="utf-8")
    table = {k: [v] for k, v in ASDAS_ROW.items()}
    (tmp_path / "in.csv").write_text(
        ",".join(table) + "\n" + ",".join(str(v[0]) for v in table.values()) + "\n",
        encoding="utf-8",
    )
    code = main(
        ["calc-batch", "asdas_crp", "-i", str(tmp_path / source), "-o", str(tmp_path / target)]
    )
    assert code == 2 and words in capsys.readouterr().err


def test_cli_lists_at_most_fifty_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table(_asdas(60, back_pain=[11.0] * 60)), source)
    assert (
        main(["calc-batch", "asdas_crp", "-i", str(source), "-o", str(tmp_path / "o.parquet")]) == 2
    )
    assert "… and 10 more" in capsys.readouterr().err
