"""The pre-visit report's "Options to discuss": from the record's treatment state, on one page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdf
import pytest

from immunospine.reports import charts, previsit, previsit_pdf
from immunospine.reports.model import PrevisitData
from immunospine.services import database, record
from immunospine.services import previsit as gathering
from immunospine.storage.uow import Database
from tests.reports.previsit_record import ACTOR, build_axspa
from tests.reports.test_pdf import assert_one_a4_page

TODAY = date(2025, 1, 20)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("previsit-options") / "clinic.db"
    handle = database.open_database(f"sqlite:///{path}")
    database.upgrade(handle)
    build_axspa(handle, diary_days=60)
    yield handle
    handle.dispose()


def test_the_options_are_listed_by_verdict_on_the_one_page(db: Database) -> None:
    data: PrevisitData = gathering.gather_previsit(db, "PV-042", actor=ACTOR, today=TODAY)
    verdicts = {o.verdict for o in data.options}
    assert {"recommended", "consider", "not_recommended"} <= verdicts
    lines = previsit.previsit_view(data).option_lines
    assert lines[0].startswith("Recommended: Education, regular exercise, no smoking")
    assert lines[-1] == previsit.OPTIONS_NOTE
    pdf = previsit_pdf.render_previsit_pdf(data, previsit.chart_svgs(charts.all_charts(data)))
    assert_one_a4_page(pdf)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Options to discuss" in text and "never a prescription" in " ".join(text.split())
    page = previsit.render_previsit_html(data)
    assert "Options to discuss" in page and previsit.OPTIONS_NOTE in page


def test_no_pathway_means_no_options(db: Database) -> None:
    record.register_patient(db, "PV-OTHER", 1980, "male", actor=ACTOR)
    record.diagnose(db, "PV-OTHER", "other", date(2020, 1, 1), actor=ACTOR)
    data = gathering.gather_previsit(db, "PV-OTHER", actor=ACTOR, today=TODAY)
    assert data.options == ()
    assert previsit.previsit_view(data).option_lines == ()
