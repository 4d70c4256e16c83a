"""``/clinic/triage``: the two optional extras of issue 14 — ``numbness_or_tingling`` (yes, no,
not known) and ``known_conditions`` (names of the autoimmune knowledge base separated by commas) —
reach the same triage service; an unknown name comes back next to its field with the nearest
names and every other answer kept."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from immunospine.reports import wording
from immunospine.services import diseases, triage
from immunospine.web.pages_triage import case_of, names_of
from tests.web.conftest import csrf_of

Pages = Callable[[str | None], TestClient]
FORM = {
    "age": "30",
    "sex": "female",
    "numbness_or_tingling": "true",
    "known_conditions": "Lupus",
    "red_flags.history_of_cancer": "false",
}


def submit(client: TestClient, form: dict[str, str]) -> Any:
    token = csrf_of(client.get("/clinic/triage").text)
    return client.post("/clinic/triage", data={**form, "csrf_token": token})


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("lupus", ["lupus"]),
        (" lupus ,multiple sclerosis; ", ["lupus", "multiple sclerosis"]),
        (
            "Inflammatory myopathy (polymyositis, dermatomyositis, necrotising myopathy), MS",
            ["Inflammatory myopathy (polymyositis, dermatomyositis, necrotising myopathy)", "MS"],
        ),
        ("a), b", ["a)", "b"]),
        (" , ", []),
    ],
)
def test_names_split_at_commas_outside_brackets(text: str, names: list[str]) -> None:
    assert names_of(text) == names


def test_the_form_has_both_fields_and_the_case_carries_them(pages: Pages) -> None:
    page = pages("clinician").get("/clinic/triage")
    assert 'name="numbness_or_tingling"' in page.text and 'name="known_conditions"' in page.text
    assert 'href="/knowledge/diseases"' in page.text
    case = case_of({**FORM, "known_conditions": "lupus, multiple sclerosis"})
    assert case["numbness_or_tingling"] is True
    assert case["known_conditions"] == ["lupus", "multiple sclerosis"]
    assert "known_conditions" not in case_of({"age": "30", "known_conditions": " "})


def test_the_answers_reach_the_triage_service(pages: Pages) -> None:
    page = submit(pages("clinician"), FORM)
    assert page.status_code == 200, text_of(page.text)[-800:]
    expected = triage.triage(case_of(FORM))
    assert expected.considerations
    text = text_of(page.text)
    for consideration in expected.considerations:
        assert wording.condition_name(consideration.condition) in text
        assert " ".join(consideration.why.split()) in text
    assert '<option value="true" selected>' in page.text  # numbness kept in the form
    assert 'href="/knowledge/diseases/systemic_lupus_erythematosus"' in page.text  # its entry
    assert diseases.key_of("no such disease") is None


def test_an_unknown_name_is_shown_at_its_field_with_the_nearest_keeping_the_answers(
    pages: Pages,
) -> None:
    form = {**FORM, "known_conditions": "lupus, multiple sclerosys", "back_pain.night_pain": "true"}
    page = submit(pages("clinician"), form)
    assert page.status_code == 422
    error = re.search(r'data-testid="error-known_conditions">([^<]*)<', page.text)
    assert error, "no error next to the field"
    message = html.unescape(error.group(1))
    assert '"multiple sclerosys"' in message and "nearest: multiple_sclerosis" in message
    assert 'value="lupus, multiple sclerosys"' in page.text
    assert 'aria-invalid="true"' in page.text
    night = re.search(r'name="back_pain.night_pain".*?</select>', page.text, re.S)
    assert night and '<option value="true" selected>' in night.group(0)
    assert 'value="30"' in page.text
    assert 'data-testid="score"' not in page.text
