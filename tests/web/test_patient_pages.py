"""The patient's pages in-process: home, questionnaires (scored by the calculator on saving),
diary, medicines, sessions and the report; a patient reaches only their own record."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from immunospine.reports.questionnaires import FORMS
from tests.web.conftest import Site, csrf_of

BASDAI = {"q1": "2", "q2": "10", "q3": "7", "q4": "1", "q5": "9", "q6": "3"}


def test_me_shows_due_latest_scores_and_charts(pages, site: Site) -> None:
    page = pages("patient").get("/me")
    assert page.status_code == 200
    assert "My latest scores" in page.text and "This supports a decision" in page.text
    assert 'data-vega="spec-activity_chart"' in page.text
    assert 'data-testid="table-diary_chart"' in page.text
    assert page.headers["cache-control"] == "no-store"


def test_basdai_saved_is_scored_on_the_server(pages, site: Site) -> None:
    client = pages("patient")
    form = client.get("/me/questionnaires/basdai")
    assert form.status_code == 200 and 'data-live-calculator="basdai"' in form.text
    saved = client.post(
        "/me/questionnaires/basdai",
        data={**BASDAI, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/me?saved=basdai"
    home = client.get("/me").text
    card = re.search(
        r'data-testid="latest-basdai".*?data-testid="latest-score">([^<]+)<', home, re.S
    )
    assert card and card.group(1) == "5.20"  # (2+10+7+1+(9+3)/2)/5, Garrett 1994 worked example


def test_a_missing_or_bad_answer_keeps_the_others(pages) -> None:
    client = pages("patient")
    token = csrf_of(client.get("/me/questionnaires/basdai").text)
    answer = client.post(
        "/me/questionnaires/basdai",
        data={**BASDAI, "q3": "", "q5": "11", "csrf_token": token},
    )
    assert answer.status_code == 422
    assert "Please answer this question." in answer.text
    assert 'name="q1" type="number"' in answer.text and 'value="10"' in answer.text


def test_diary_entry_is_saved_and_listed(pages) -> None:
    client = pages("patient")
    token = csrf_of(client.get("/me/diary").text)
    saved = client.post(
        "/me/diary",
        data={"pain_nrs": "6", "sleep_hours": "5.5", "stress_nrs": "7", "csrf_token": token},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get("/me/diary?saved=1").text
    assert "Saved. Thank you!" in page and ">5.5<" in page


def test_diary_out_of_range_names_the_field_and_saves_nothing(pages) -> None:
    client = pages("patient")
    token = csrf_of(client.get("/me/diary").text)
    answer = client.post("/me/diary", data={"pain_nrs": "12", "csrf_token": token})
    assert answer.status_code == 422
    assert "pain_nrs" in answer.text and "Nothing was saved" in answer.text
    empty = client.post("/me/diary", data={"csrf_token": token})
    assert empty.status_code == 422 and "at least one answer" in empty.text


def test_without_csrf_nothing_is_saved(pages) -> None:
    client = pages("patient")
    answer = client.post("/me/diary", data={"pain_nrs": "3"})
    assert answer.status_code == 403 and "nothing was saved" in answer.text


def test_medication_and_session(pages) -> None:
    client = pages("patient")
    token = csrf_of(client.get("/me/medications").text)
    added = client.post(
        "/me/medications",
        data={"drug": "naproxen", "drug_class": "nsaid", "dose": "500", "dose_unit": "mg",
              "started_on": "2026-11-01", "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert added.status_code == 303
    assert "naproxen" in client.get("/me/medications").text
    bad = client.post(
        "/me/medications",
        data={"drug": "x", "drug_class": "magic", "started_on": "2026-11-01", "csrf_token": token},
    )
    assert bad.status_code == 422 and "drug_class" in bad.text
    done = client.post(
        "/me/sessions",
        data={"kind": "exercise", "performed_on": "2026-12-01", "activity": "swimming",
              "duration_min": "30", "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    assert "swimming" in client.get("/me/sessions").text


def test_report_pdf_is_mine(pages, site: Site) -> None:
    answer = pages("patient").get("/me/report.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    assert site.patient_id in text


def test_patient_pages_need_a_patient(pages) -> None:
    anonymous = pages(None).get("/me", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/me"
    assert pages("clinician").get("/me").status_code == 403


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_questionnaire_renders_and_saves(pages, name: str) -> None:
    client = pages("patient")
    page = client.get(f"/me/questionnaires/{name}")
    assert page.status_code == 200 and f'data-live-calculator="{name}"' in page.text
    answers = {}
    for item in FORMS[name].items:
        answers[item.field] = item.options[-1].value if item.options else "3"
    saved = client.post(
        f"/me/questionnaires/{name}",
        data={**answers, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text[-800:]
    assert saved.headers["location"] == f"/me?saved={name}"


def test_unknown_questionnaire_is_not_found(pages) -> None:
    assert pages("patient").get("/me/questionnaires/nope").status_code == 404
