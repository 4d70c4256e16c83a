"""The "what moved with your pain" chart: one row per factor, clear ones coloured."""

from __future__ import annotations

from immunospine.analysis.person import analyze_person
from immunospine.analysis.series import patient_data
from immunospine.analysis.simulate import PersonSpec, simulate_timeline
from immunospine.reports.charts import associations_chart


def test_chart_has_a_row_per_factor_and_marks_the_clear_ones() -> None:
    result = analyze_person(patient_data(simulate_timeline(PersonSpec(), seed=1)))
    spec = associations_chart(result)
    values = spec["layer"][1]["data"]["values"]
    labels = {v["label"] for v in values}
    assert "Sleep +1 hour, day before" in labels and "Stress +1 point, same day" in labels
    assert len(values) == len({v["label"].split(",")[0] for v in values})
    assert {v["clear"] for v in values} == {"clear (q < 0.05)", "uncertain"}
    assert "not causes" in spec["title"] and "blue: clear" in spec["title"]


def test_no_data_says_so() -> None:
    spec = associations_chart({"associations": []})
    assert "not enough" in spec["title"] and len(spec["layer"]) == 1
