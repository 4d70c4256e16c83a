"""The "what moved with your pain" chart: one row per factor, clear ones coloured."""

from __future__ import annotations

import pytest

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


# a font file fpdf2 left open in an earlier report test may be collected during this one
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_report_shows_the_chart_where_the_page_has_room(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import dataclasses
    from datetime import date

    from immunospine.reports import previsit_pdf
    from immunospine.services import database, previsit
    from immunospine.services.interop import store_timelines
    from tests.reports.test_previsit import pdf_text

    db = database.open_database(f"sqlite:///{tmp_path / 'r.db'}")
    database.upgrade(db)
    with db.transaction() as uow:
        spec = PersonSpec(patient_id="SIM-R", n_days=200)
        store_timelines(uow, [simulate_timeline(spec, seed=2)], actor="t", source="t")
    data = previsit.gather_previsit(db, "SIM-R", actor="t", today=date(2026, 12, 1))
    db.dispose()
    assert data.analysis is not None and data.analysis["associations"]
    assert "What moved with your pain" in pdf_text(previsit_pdf.render_previsit_pdf(data))
    without = dataclasses.replace(data, analysis=None)
    assert "What moved" not in pdf_text(previsit_pdf.render_previsit_pdf(without))
