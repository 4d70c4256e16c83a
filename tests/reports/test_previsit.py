"""The pre-visit report: gathered from a real SQLite record, drawn as Vega-Lite, one A4 page.

The rendered page is kept as a picture for people to look at:
``build/test-artifacts/previsit-report.png`` (with the PDF and the HTML twin beside it).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import vl_convert

from immunospine.knowledge import calculate
from immunospine.reports import charts, previsit, previsit_pdf
from immunospine.reports.model import PrevisitData
from immunospine.services import database
from immunospine.services import previsit as gathering
from immunospine.storage.uow import Database
from tests.paths import REPO_ROOT
from tests.reports.previsit_record import ACTOR, Built, build_axspa
from tests.reports.test_pdf import assert_one_a4_page

ARTIFACTS = REPO_ROOT / "build" / "test-artifacts"
TODAY = date(2025, 1, 20)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Built]]:
    path = tmp_path_factory.mktemp("previsit") / "clinic.db"
    db = database.open_database(f"sqlite:///{path}")
    database.upgrade(db)
    built = build_axspa(db)
    yield db, built
    db.dispose()


@pytest.fixture(scope="module")
def data(clinic: tuple[Database, Built]) -> PrevisitData:
    db, built = clinic
    return gathering.gather_previsit(db, built.patient_id, actor=ACTOR, today=TODAY)


@pytest.fixture(scope="module")
def svgs(data: PrevisitData) -> dict[str, str]:
    return previsit.chart_svgs(charts.all_charts(data))


@pytest.fixture(scope="module")
def pdf_bytes(data: PrevisitData, svgs: dict[str, str]) -> bytes:
    return previsit_pdf.render_previsit_pdf(data, svgs)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_data_come_from_the_record_services(data: PrevisitData, clinic: tuple) -> None:
    built = clinic[1]
    assert data.patient_id == "PV-042"
    assert data.conditions == (("axspa", date(2022, 11, 2)),)
    assert data.activity_calculators == ("asdas_crp", "asdas_esr", "basdai")
    assert data.since == date(2023, 1, 8) and data.until == TODAY  # the first diary day
    latest = {s.calculator: s for s in data.latest}
    assert latest["asdas_crp"].on == built.last_visit
    assert latest["asdas_crp"].score == calculate("asdas_crp", **built.asdas_inputs).score
    assert [m.drug for m in data.medications] == ["naproxen", "adalimumab"]
    assert data.medications[0].stop_reason == "inefficacy"
    assert {f.kind for f in data.flares} >= {"patient_marked"}
    assert len(data.diary) == 730
    (target,) = data.targets
    assert target.target == "ASDAS < 2.1" and target.below == pytest.approx(2.1)
    assert target.status == "off_target"


def test_since_narrows_the_period_but_keeps_running_courses(clinic: tuple) -> None:
    db, built = clinic
    data = gathering.gather_previsit(
        db, built.patient_id, actor=ACTOR, since=date(2024, 6, 1), today=TODAY
    )
    assert data.since == date(2024, 6, 1)
    assert all(s.on >= date(2024, 6, 1) for s in data.scores)
    assert [m.drug for m in data.medications] == ["adalimumab"]  # naproxen stopped in 2023


def test_since_after_the_end_is_refused_naming_the_field(clinic: tuple) -> None:
    from immunospine.errors import InputError

    with pytest.raises(InputError) as err:
        gathering.gather_previsit(clinic[0], "PV-042", actor=ACTOR, since=date(2026, 1, 1),
                                  today=TODAY)  # fmt: skip
    assert err.value.problems[0].field == "since"


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_each_chart_is_a_standalone_vega_lite_v5_spec(
    name: str, data: PrevisitData, capfd: pytest.CaptureFixture[str]
) -> None:
    spec = charts.all_charts(data)[name]
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    json.dumps(spec, allow_nan=False)  # plain JSON, as the web pages will load it
    views = spec.get("layer") or spec.get("vconcat")
    assert views, "a layered or concatenated view"
    for view in views:
        assert "mark" in view or "layer" in view
        assert "encoding" in view or "layer" in view
        assert "values" in (view.get("data") or spec["data"])  # data inline, nothing fetched
    # Vega-Lite itself accepts it: it compiles to a Vega spec with every dataset inline.
    vega = vl_convert.vegalite_to_vega(
        spec, vl_version=previsit.VEGA_LITE_VERSION, show_warnings=True
    )
    assert "WARN" not in capfd.readouterr().err  # e.g. no conflicting time domains
    assert not any("url" in d for d in vega["data"])
    assert any(m.get("encode", {}) for m in _marks(vega))
    tooltips = json.dumps(spec).count('"tooltip"')
    assert tooltips >= 1


def _marks(vega: dict) -> Iterator[dict]:
    for mark in vega.get("marks", []):
        yield mark
        yield from _marks(mark)


def test_the_diary_is_averaged_so_ten_years_stay_readable() -> None:
    assert charts.diary_period(date(2024, 1, 1), date(2024, 3, 1)) == "day"
    assert charts.diary_period(date(2023, 1, 1), date(2024, 12, 31)) == "week"
    assert charts.diary_period(date(2015, 1, 1), date(2025, 1, 1)) == "month"
    from immunospine.reports.model import DiaryDay

    days = [DiaryDay(date(2024, 1, d), pain_nrs=float(d)) for d in (1, 2, 8)]
    rows = charts.diary_means(days, "week")
    assert [(r["on"], r["pain_nrs"], r["entries"]) for r in rows] == [
        ("2024-01-01", 1.5, 2),
        ("2024-01-08", 8.0, 1),
    ]
    assert rows[0]["stress_nrs"] is None  # never answered: no value, not zero


def test_the_pdf_is_one_a4_page_with_the_scores_and_the_pseudonym(
    pdf_bytes: bytes, data: PrevisitData, clinic: tuple
) -> None:
    built: Built = clinic[1]
    assert_one_a4_page(pdf_bytes)
    assert len(pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages) == 1
    text = pdf_text(pdf_bytes)
    assert "PV-042" in text
    latest = {s.calculator: s for s in data.latest}
    for name in ("asdas_crp", "basdai", "basfi"):
        shown = previsit.format_score(name, latest[name].score)
        assert re.search(rf"{charts.calculator_label(name)}\s+{built.last_visit}\s+{shown}", text)
    asdas = calculate("asdas_crp", **built.asdas_inputs).score
    assert f"{asdas:.1f}" in text
    assert f"{built.crp_mg_l:.1f} mg/L" in text
    assert data.disclaimer in text
    assert "adalimumab" in text and "inefficacy" in text
    assert "My questions for this visit" in text
    assert "ASDAS < 2.1: NOT on target" in text
    assert "Disease activity" in text  # chart text stays text


def test_the_page_is_kept_as_a_picture(pdf_bytes: bytes, data: PrevisitData,
                                       svgs: dict[str, str]) -> None:  # fmt: skip
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "previsit-report.pdf").write_bytes(pdf_bytes)
    (ARTIFACTS / "previsit-report.html").write_text(
        previsit.render_previsit_html(data, svgs), encoding="utf-8"
    )
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        image = document[0].render(scale=150 / 72).to_pil()
    finally:
        document.close()
    image.save(ARTIFACTS / "previsit-report.png")
    assert image.size[0] in (1240, 1241) and image.size[1] in (1754, 1755)  # A4 at 150 dpi
    # The page is not blank at the bottom: the legend and footer reach the last centimetres.
    grey = image.convert("L")
    bottom = grey.crop((0, 1600, 1240, 1754))
    assert bottom.getextrema()[0] < 128


def test_the_html_twin_says_the_same_and_needs_no_network(
    data: PrevisitData, svgs: dict[str, str]
) -> None:
    page = previsit.render_previsit_html(data, svgs)
    assert page.startswith("<!DOCTYPE html>")
    assert "PV-042" in page and data.disclaimer in page
    assert page.count("<svg") == len(svgs) == 4  # three time charts + what moved with pain
    for name in charts.CHARTS:
        assert f'id="{name}"' in page
    assert "<script" not in page and "<link" not in page
    urls = set(re.findall(r"https?://[^\s\"')]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_rheumatoid_arthritis_is_charted_with_das28(tmp_path: Path) -> None:
    from immunospine.records import Condition, Diagnosis, Patient
    from immunospine.services import record

    db = database.open_database(f"sqlite:///{tmp_path / 'ra.db'}")
    database.upgrade(db)
    dx = Diagnosis(condition=Condition.RHEUMATOID_ARTHRITIS, diagnosed_on=date(2020, 1, 1))
    record.add_patient(db, Patient(patient_id="RA-1", year_of_birth=1960, diagnoses=(dx,)),
                       actor=ACTOR)  # fmt: skip
    inputs = {"tender_joints_28": 4, "swollen_joints_28": 2, "crp_mg_l": 12.0,
              "patient_global_health": 40.0}  # fmt: skip
    record.record_assessment(db, "RA-1", "das28_crp", inputs, date(2024, 5, 1), actor=ACTOR)
    data = gathering.gather_previsit(db, "RA-1", actor=ACTOR, today=TODAY)
    db.dispose()
    assert data.activity_calculators == ("das28_crp", "das28_esr")
    assert charts.activity_chart(data)["title"].startswith("Disease activity (DAS28-CRP")
    text = pdf_text(previsit_pdf.render_previsit_pdf(data))
    score = calculate("das28_crp", **inputs).score
    assert f"{score:.2f}" in text and "DAS28 < 3.2" in text


def test_names_outside_latin_1_embed_a_unicode_font(data: PrevisitData) -> None:
    from dataclasses import replace

    if previsit_pdf.find_unicode_font() is None:
        pytest.skip(reason="DejaVu Sans is not installed (Debian fonts-dejavu-core)")
    course = replace(data.medications[-1], drug="ciclosporin-α")
    changed = replace(data, medications=(*data.medications[:-1], course))
    pdf = previsit_pdf.render_previsit_pdf(changed)
    assert b"DejaVu" in pdf
    assert "ciclosporin-α" in pdf_text(pdf)


def test_a_patient_with_nothing_recorded_still_gets_a_page(tmp_path: Path) -> None:
    from immunospine.records import Patient
    from immunospine.services import record

    db = database.open_database(f"sqlite:///{tmp_path / 'empty.db'}")
    database.upgrade(db)
    record.add_patient(db, Patient(patient_id="NEW-1", year_of_birth=1990), actor=ACTOR)
    data = gathering.gather_previsit(db, "NEW-1", actor=ACTOR, today=TODAY)
    db.dispose()
    assert data.since == data.until == TODAY
    pdf = previsit_pdf.render_previsit_pdf(data)
    assert_one_a4_page(pdf)
    text = pdf_text(pdf)
    assert "NEW-1" in text and "no diagnosis recorded" in text
    assert "No medication recorded in the period." in text


def test_tidy_svg_writes_out_what_fpdf2_does_not_assume() -> None:
    raw = (
        '<svg width="10" height="10"><g font-family="sans-serif">'
        '<line transform="translate(1,0)" x2="0" y2="5" stroke="#ddd"/>'
        '<path class="foreground" d="" display="none"/>'
        '<path d="M0,0L1,1" fill="#123" stroke-width="2"/>'
        '<path d="M0,0L2,2" fill="#123" opacity="0"/>'
        '<path d="M0,0L3,3" stroke="#456" stroke-width="1"/>'
        '<text font-family="sans-serif">Pain</text></g></svg>'
    )
    tidy = previsit_pdf.tidy_svg(raw, "helvetica")
    assert '<line y1="0" x1="0" transform' in tidy  # SVG's defaults, written out
    assert 'd=""' not in tidy and "M0,0L2,2" not in tidy  # draws nothing: dropped
    assert '<path stroke="none" d="M0,0L1,1"' in tidy  # no stroke means none, not black
    assert 'stroke="#456" stroke-width="1"' in tidy
    assert 'font-family="sans-serif"' not in tidy and tidy.count('font-family="helvetica"') == 2


def test_the_chart_renderer_can_start_in_the_background() -> None:
    svg = vl_convert.vegalite_to_svg(previsit.WARM_UP_SPEC, vl_version=previsit.VEGA_LITE_VERSION)
    assert svg.startswith("<svg")  # the warm-up chart is valid (its errors are not shown)
    thread = previsit.warm_up()
    thread.join(timeout=60)
    assert not thread.is_alive()


def test_flares_are_marked_once_per_period_with_their_count(data: PrevisitData) -> None:
    from dataclasses import replace

    from immunospine.reports.model import FlareMark

    flares = (
        FlareMark(date(2024, 3, 4), "patient_marked", "bad week"),
        FlareMark(date(2024, 3, 20), "asdas_worsening", "asdas_crp 1.9 → 3.1"),
        FlareMark(date(2024, 5, 2), "patient_marked", "marked by patient"),
    )
    marks = charts.flare_marks(replace(data, flares=flares))  # a two-year period: monthly
    assert [(m["on"], m["last"], m["flares"], m["kinds"]) for m in marks] == [
        ("2024-03-04", "2024-03-20", 2, "asdas worsening, patient marked"),
        ("2024-05-02", "2024-05-02", 1, "patient marked"),
    ]
