"""Worklist evaluation maths on hand-made data, and the `cohort` CLI end to end."""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path

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
            "probability": [0.95, 0.85, 0.40, 0.10, 0.99],
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
            r"1 of the 5 listed persons are not in it \(person_id 77\)",
        ),
        ({"probability": [1.5, 0.1, 0.1, 0.1, 0.1]}, r"\[0, 1\]"),
        ({"probability": ["a", "b", "c", "d", "e"]}, "must be numeric"),
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
            "probability": prob[order],
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
    bad.write_text("person_id,probability,rank\n1,0.5,1\n")
    assert main(["cohort", "evaluate", "--worklist", str(bad), "--truth", truth]) == 2
    err = capsys.readouterr().err
    assert "category" in err and "bad.csv" in err and "Traceback" not in err
    assert main(["cohort", "generate", "--patients", "0", "--out", str(tmp_path)]) == 2
