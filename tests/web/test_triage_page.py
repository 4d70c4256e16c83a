"""``/clinic/triage``: the triage contract as a form, for clinicians only (in-process clients of
``tests/web/conftest.py``: ``pages(role)`` is signed in as that role's demo user)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from immunospine.reports.wording import NOT_A_DIAGNOSIS
from immunospine.services import triage
from immunospine.web.pages_triage import FIELDS, case_of
from tests.web.conftest import csrf_of

Pages = Callable[[str | None], TestClient]

INFLAMMATORY = {
    "age": "29",
    "sex": "male",
    "back_pain.duration_months": "30",
    "back_pain.age_at_onset": "26",
    "back_pain.insidious_onset": "true",
    "back_pain.morning_stiffness_minutes": "60",
    "back_pain.improves_with_exercise": "true",
    "back_pain.improves_with_rest": "false",
    "back_pain.night_pain": "true",
    "back_pain.wakes_second_half_of_night": "true",
    "back_pain.buttock_pain": "true",
    "back_pain.alternating_buttock_pain": "true",
    "findings.hla_b27": "true",
    "findings.enthesitis_heel": "true",
    "red_flags.history_of_cancer": "false",
}


def submit(client: TestClient, form: dict[str, str]) -> Any:
    token = csrf_of(client.get("/clinic/triage").text)
    return client.post("/clinic/triage", data={**form, "csrf_token": token})


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_form_names_its_fields_as_the_contract(pages: Pages) -> None:
    page = pages("clinician").get("/clinic/triage")
    assert page.status_code == 200
    for field in FIELDS:
        assert f'name="{field.name}"' in page.text
        assert f'<label for="{field.id}">' in page.text
    assert 'name="red_flags.saddle_anaesthesia"' in page.text
    assert page.text.index('name="red_flags.') < page.text.index('name="back_pain.')
    assert 'data-testid="score"' not in page.text  # nothing assessed yet


def test_an_inflammatory_case_gives_the_services_result(pages: Pages) -> None:
    answer = submit(pages("clinician"), INFLAMMATORY)
    assert answer.status_code == 200, answer.text[:2000]
    page = answer.text
    expected = triage.triage(case_of(INFLAMMATORY))
    assert expected.referral.refer_to_rheumatology is True
    score = re.search(r'data-testid="score">([^<]+)<', page)
    assert score is not None
    assert score.group(1) == f"{100 * (expected.probability.score or 0):.1f} %"
    assert f'data-testid="category">{expected.category}<' in page
    assert f'data-testid="urgency">{expected.urgency}<' in page
    assert 'data-testid="refer">yes<' in page
    assert 'data-testid="next-tests"' in page
    text = text_of(page)
    assert NOT_A_DIAGNOSIS in text and expected.disclaimer in text
    # red flags first, then urgency, probability and referral; the answers kept below
    order = [page.index(f'data-testid="{t}"') for t in ("red-flags", "urgency", "score", "refer")]
    assert order == sorted(order)
    assert 'name="back_pain.duration_months" value="30"' in page
    assert '<option value="true" selected>' in page


def test_a_red_flag_comes_first_and_sets_the_urgency(pages: Pages) -> None:
    form = {**INFLAMMATORY, "red_flags.saddle_anaesthesia": "true"}
    page = submit(pages("clinician"), form).text
    assert 'data-testid="urgency">emergency<' in page
    flags = page[page.index('data-testid="red-flags"') :]
    assert "Referral to a specialist is not discussed here" in page
    assert page.index('data-testid="red-flags"') < page.index('data-testid="urgency"')
    assert "cauda" in flags[: flags.index("</section>")].lower()


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("age", "200", "must be at most 120"),
        ("age", "thirty", "must be a whole number"),
        ("back_pain.duration_months", "-3", "must be at least 0"),
        ("back_pain.age_at_onset", "40", "is above age = 29"),
        ("pretest_probability", "5", "must be at most 1"),
    ],
)
def test_input_errors_come_back_next_to_their_field(
    pages: Pages, field: str, value: str, words: str
) -> None:
    answer = submit(pages("clinician"), {**INFLAMMATORY, field: value})
    assert answer.status_code == 422
    page = answer.text
    found = re.search(rf'data-testid="error-{re.escape(field)}">([^<]+)<', page)
    assert found is not None, page[:3000]
    assert words in html.unescape(found.group(1))
    assert f'name="{field}" value="{value}"' in page  # kept as typed
    assert 'name="back_pain.night_pain"' in page and 'data-testid="score"' not in page


def test_age_is_required(pages: Pages) -> None:
    answer = submit(pages("clinician"), {k: v for k, v in INFLAMMATORY.items() if k != "age"})
    assert answer.status_code == 422
    assert 'data-testid="error-age"' in answer.text


def test_an_empty_field_is_unknown_not_no(pages: Pages) -> None:
    case = case_of({"age": "40", "findings.hla_b27": "", "back_pain.duration_months": " "})
    assert case == {"age": 40}
    assert case_of({"age": "40.5", "widespread_pain": "maybe"}) == {
        "age": 40.5,
        "widespread_pain": "maybe",
    }


def test_refused_to_a_patient_and_to_no_one(pages: Pages) -> None:
    patient = pages("patient")
    assert patient.get("/clinic/triage").status_code == 403
    token = csrf_of(patient.get("/me").text)
    assert (
        patient.post("/clinic/triage", data={**INFLAMMATORY, "csrf_token": token}).status_code
        == 403
    )
    anonymous = pages(None)
    answer = anonymous.get("/clinic/triage", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=/clinic/triage")
    posted = anonymous.post("/clinic/triage", data=INFLAMMATORY, follow_redirects=False)
    assert posted.status_code == 303


def test_without_the_csrf_token_nothing_is_assessed(
    pages: Pages, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(case: object) -> object:
        raise AssertionError("assessed a refused form")

    monkeypatch.setattr(triage, "triage", refuse)
    answer = pages("clinician").post("/clinic/triage", data=INFLAMMATORY)
    assert answer.status_code == 403
    assert 'data-testid="score"' not in answer.text
