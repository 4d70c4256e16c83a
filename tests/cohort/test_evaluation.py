"""Worklist evaluation maths on hand-made data, and the `cohort` CLI end to end."""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from immunospine.cli import main
from immunospine.cohort.evaluation import auc, calibration_table, evaluate
from immunospine.errors import InputError


def test_auc_on_a_known_ranking() -> None:
    assert auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == 0.75
    assert auc([1, 2, 3, 4], [0, 0, 1, 1]) == 1.0
    assert auc([1, 2, 3, 4], [1, 1, 0, 0]) == 0.0
    assert auc([0.5] * 4, [0, 1, 0, 1]) == 0.5
    assert auc([0.2, 0.3], [1, 1]) is None


def test_auc_equals_pairwise_count_with_ties() -> None:
    rng = np.random.default_rng(3)
    s = rng.integers(0, 5, 60).astype(float)  # many ties
    y = rng.random(60) < 0.3
    pairs = [(a, b) for a, b in product(s[y], s[~y])]
    expected = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in pairs) / len(pairs)
    assert auc(s, y) == pytest.approx(expected)


def test_calibration_bins() -> None:
    bins = calibration_table([0.05, 0.07, 0.15, 0.95, 1.0], [0, 1, 0, 1, 1], bins=10)
    assert [b.count for b in bins] == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert bins[0].mean_predicted == pytest.approx(0.06)
    assert bins[0].observed_rate == 0.5
    assert bins[2].mean_predicted is None
    assert bins[9].positives == 2 and bins[9].upper == 1.0


def _truth() -> pa.Table:
    # persons 1-10: axSpA = 1, 2, 3, 9; person 9 already diagnosed; person 10 miscoded (diagnosed)
    return pa.table(
        {
            "person_id": pa.array(range(1, 11), pa.int64()),
            "has_axspa": [True, True, True, False, False, False, False, False, True, False],
            "diagnosed": [False] * 8 + [True, True],
        }
    )


def _worklist() -> pa.Table:
    return pa.table(
        {
            "person_id": [1, 4, 2, 5, 9],
            "probability_literature": [0.95, 0.85, 0.40, 0.10, 0.99],
            "category": ["definite", "probable", "possible", "unlikely", "definite"],
            "rank": [2, 3, 4, 5, 1],
        }
    )


def test_evaluate_hand_made_worklist() -> None:
    ev = evaluate(_worklist(), _truth(), top_k=(1, 3, 99))
    assert (ev.population, ev.positives, ev.listed, ev.diagnosed_dropped) == (8, 3, 4, 1)
    flagged = ev.thresholds[0]  # persons 1 and 4
    assert (flagged.tp, flagged.fp, flagged.fn, flagged.tn) == (1, 1, 2, 4)
    assert flagged.sensitivity == pytest.approx(1 / 3)
    assert flagged.ppv == 0.5 and flagged.specificity == 0.8
    top1, top3, top99 = ev.thresholds[1:]
    assert (top1.tp, top1.fp) == (1, 0)  # person 9 dropped: rank 2 (person 1) is first
    assert (top3.tp, top3.fp, top3.fn) == (2, 1, 1)
    assert (top99.top_k, top99.flagged) == (99, 4)  # more than listed: every listed person
    # population AUC: listed 1 (.95), 4 (.85), 2 (.40), 5 (.10); unlisted 3, 6, 7, 8 at the bottom
    scores = [0.95, 0.40, -1, 0.85, 0.10, -1, -1, -1]
    labels = [1, 1, 1, 0, 0, 0, 0, 0]
    assert ev.auc == pytest.approx(auc(scores, labels))
    assert ev.auc_listed == pytest.approx(auc([0.95, 0.85, 0.40, 0.10], [1, 0, 1, 0]))
    assert sum(b.count for b in ev.calibration) == 4
    d = ev.to_dict()
    assert d["prevalence"] == 3 / 8 and "Zhao" in d["anchors"][3]["study"]
    assert "not an estimate of real-world accuracy" in d["disclaimer"]


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"person_id": [1, 1, 2, 5, 9]}, "repeated"),
        (
            {"person_id": [1, 4, 2, 5, 77]},
            r"1 of the 5 listed persons are not in the truth file \(person_id 77\)",
        ),
        ({"probability_literature": [1.5, 0.1, 0.1, 0.1, 0.1]}, r"\[0, 1\]"),
        ({"probability_literature": ["a", "b", "c", "d", "e"]}, "must be numeric"),
        ({"rank": [1, None, 3, 4, 5]}, "empty value"),
    ],
)
def test_bad_worklists(change: dict[str, list[object]], needle: str) -> None:
    w = _worklist()
    for name, values in change.items():
        w = w.set_column(w.schema.get_field_index(name), name, pa.array(values))
    with pytest.raises(InputError, match=needle):
        evaluate(w, _truth())


# --- CLI -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    assert main(["cohort", "generate", "--patients", "4000", "--seed", "5", "--out", str(out)]) == 0
    return out


def _oracle_worklist(out: Path, path: Path) -> None:
    """Scores from the truth itself (a perfect-ish oracle), for the CLI round trip."""
    t = pq.read_table(out / "truth.parquet")
    keep = ~np.asarray(t.column("diagnosed").to_numpy(zero_copy_only=False))
    pid = t.column("person_id").to_numpy()[keep]
    prob = np.where(t.column("has_axspa").to_numpy(zero_copy_only=False)[keep], 0.9, 0.05)
    order = np.argsort(-prob, kind="stable")
    w = pa.table(
        {
            "person_id": pid[order],
            "probability_literature": prob[order],
            "category": np.where(prob[order] > 0.5, "probable", "unlikely"),
            "rank": np.arange(1, pid.size + 1),
        }
    )
    if path.suffix == ".csv":
        pacsv.write_csv(w, path)
    else:
        pq.write_table(w, path)


def test_cli_generate_writes_tables(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (generated / "truth.parquet").is_file()
    assert pq.read_metadata(generated / "person.parquet").num_rows == 4000


def test_cli_generate_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["cohort", "generate", "-n", "500", "--out", str(tmp_path), "--json", "--quiet"]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["persons"] == 500 and summary["rows"]["person"] == 500


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_cli_evaluate(
    suffix: str, generated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wl = tmp_path / f"worklist{suffix}"
    _oracle_worklist(generated, wl)
    capsys.readouterr()
    truth = str(generated / "truth.parquet")
    assert main(["cohort", "evaluate", "--worklist", str(wl), "--truth", truth]) == 0
    text = capsys.readouterr().out
    assert "AUC" in text and "Zhao" in text and "not an estimate" in text
    assert main(["cohort", "evaluate", "-w", str(wl), "-t", str(generated), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["auc"] == 1.0 and d["thresholds"][0]["sensitivity"] == 1.0


def test_cli_errors_name_the_file_and_column(
    generated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = str(generated / "truth.parquet")
    missing = tmp_path / "nope.csv"
    assert main(["cohort", "evaluate", "--worklist", str(missing), "--truth", truth]) == 2
    captured = capsys.readouterr()
    assert "nope.csv" in captured.err and "not found" in captured.err and captured.out == ""
    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,probability_literature,rank\n1,0.5,1\n")
    assert main(["cohort", "evaluate", "--worklist", str(bad), "--truth", truth]) == 2
    err = capsys.readouterr().err
    assert "category" in err and "bad.csv" in err and "Traceback" not in err
    assert main(["cohort", "generate", "--patients", "0", "--out", str(tmp_path)]) == 2


# --- defect 8: a worklist of another population, unknown --flag values, --top-k 0 ------------------


def _truth_with_back_pain() -> pa.Table:
    # persons 1-10 of _truth(), only 1, 2, 4, 5 and 9 with chronic back pain; 11-20 without either
    cbp = [True, True, False, True, True, False, False, False, True, False]
    first = _truth().append_column("chronic_back_pain", pa.array(cbp))
    rest = pa.table(
        {
            "person_id": pa.array(range(11, 21), pa.int64()),
            "has_axspa": [False] * 10,
            "diagnosed": [False] * 10,
            "chronic_back_pain": [False] * 10,
        }
    )
    return pa.concat_tables([first, rest])


def test_worklist_of_the_truths_population_is_scored() -> None:
    ev = evaluate(_worklist(), _truth_with_back_pain())
    assert ev.listed == 4


def test_worklist_of_another_population_is_refused() -> None:
    # same person ids, but most listed persons have no chronic back pain in this truth
    other = _worklist().set_column(0, "person_id", pa.array([3, 6, 7, 8, 1]))
    with pytest.raises(InputError) as info:
        evaluate(other, _truth_with_back_pain(), worklist_label="other.parquet")
    message = str(info.value)
    assert "4 of the 5 listed persons have no chronic back pain" in message
    assert "person_id 3, 6, 7, 8" in message and "--" not in message
    assert info.value.problems[0].loc == ("worklist",)


def test_persons_missing_from_the_truth_are_counted_with_examples() -> None:
    ids = pa.array([11, 12, 13, 14, 15, 16, 1], pa.int64())
    w = pa.table(
        {
            "person_id": ids,
            "probability_literature": [0.5] * 7,
            "category": ["possible"] * 7,
            "rank": list(range(1, 8)),
        }
    )
    with pytest.raises(InputError, match=r"6 of the 7 listed persons are not in the truth file "
                       r"\(person_id 11, 12, 13, 14, 15, …\)"):  # fmt: skip
        evaluate(w, _truth())


@pytest.mark.parametrize(
    ("kwargs", "field", "needle"),
    [
        ({"flag_categories": ("maybe",)}, "flag_categories", "unlikely, possible, probable"),
        ({"flag_categories": ()}, "flag_categories", "one or more of"),
        ({"top_k": (0,)}, "top_k", "at least 1"),
        ({"top_k": (10, -3)}, "top_k", "at least 1"),
    ],
)
def test_flag_categories_and_top_k_are_checked(
    kwargs: dict[str, Any], field: str, needle: str
) -> None:
    with pytest.raises(InputError, match=needle) as info:
        evaluate(_worklist(), _truth(), **kwargs)
    assert info.value.problems[0].loc == (field,) and "--" not in str(info.value)


def test_cli_refuses_a_worklist_of_another_population(
    generated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    argv = ["cohort", "generate", "-n", "4000", "--seed", "6", "-o", str(other), "-q"]
    assert main(argv) == 0
    wl = tmp_path / "other.parquet"
    assert main(["cohort", "screen", "--data", str(other), "-o", str(wl), "-q"]) == 0
    capsys.readouterr()
    truth = str(generated / "truth.parquet")
    assert main(["cohort", "evaluate", "-w", str(wl), "-t", truth]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--worklist" in captured.err and "no chronic back pain in the truth file" in captured.err
    own = tmp_path / "own.parquet"
    assert main(["cohort", "screen", "--data", str(generated), "-o", str(own), "-q"]) == 0
    assert main(["cohort", "evaluate", "-w", str(own), "-t", truth]) == 0


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--flag", "maybe"], '--flag = "maybe": must name worklist categories'),
        (["--flag", "probable", "--flag", "maybe"], "unlikely, possible, probable, definite"),
        (["--top-k", "0"], "--top-k = 0: must be at least 1"),
    ],
)
def test_cli_refuses_unknown_flags_and_top_k_zero(
    extra: list[str],
    needle: str,
    generated: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wl = tmp_path / "worklist.parquet"
    _oracle_worklist(generated, wl)
    capsys.readouterr()
    argv = ["cohort", "evaluate", "-w", str(wl), "-t", str(generated), *extra]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert needle in captured.err and captured.out == ""


def test_cli_evaluate_points_at_the_users_documents(
    generated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wl = tmp_path / "worklist.parquet"
    _oracle_worklist(generated, wl)
    capsys.readouterr()
    assert main(["cohort", "evaluate", "-w", str(wl), "-t", str(generated)]) == 0
    text = capsys.readouterr().out
    assert "docs/case-finding.md" in text
    assert "omop-and-data.md" not in text and "clinical.md" not in text and "§" not in text
    assert (Path(__file__).parents[2] / "docs" / "case-finding.md").is_file()
