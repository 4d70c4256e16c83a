"""``/check``: the self-check as one web form for anyone (no account), its result and its PDF.

In-process with FastAPI's TestClient on ``create_app``; the pages need no database (nothing about
the person is stored), so the app's database does not exist. The answers are the terminal tests'
(``tests/self_check/answers.py``), so the page is compared with what the terminal session says.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pypdf
import pytest
from fastapi.testclient import TestClient

from immunospine.api import create_app
from immunospine.reports.model import Bullets, Paragraph
from immunospine.reports.triage_summary import build_summary
from immunospine.reports.wording import EMERGENCY_ALERT, NOT_A_DIAGNOSIS
from immunospine.services import triage
from immunospine.services.self_check import NO_BACK_PAIN_ADVICE, QUESTIONS
from immunospine.settings import Settings
from tests.self_check.answers import TYPICAL_AS, answer_all

REFERRAL = "Ask about a referral to a rheumatologist"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    missing = tmp_path_factory.mktemp("check") / "no-such.db"
    with TestClient(create_app(Settings(database_url=str(missing)))) as test_client:
        yield test_client


def csrf(client: TestClient) -> str:
    page = client.get("/check")
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def as_form(typed: dict[str, str]) -> dict[str, str]:
    """The terminal's typed answers as the page's fields ("5 years" → number and unit)."""
    form: dict[str, str] = {}
    for qid, text in typed.items():
        number = re.fullmatch(r"(\d+) (years|hours?)", text)
        if number:
            form[qid] = number.group(1)
            form[f"{qid}_unit"] = number.group(2).rstrip("s") + "s"
        else:
            form[qid] = text
    return form


def post(client: TestClient, answers: dict[str, str], path: str = "/check") -> str:
    answer = client.post(path, data={**answers, "csrf_token": csrf(client)})
    assert answer.status_code == 200, answer.text
    return answer.text


def answer_rows(page: str) -> list[tuple[str, str]]:
    """The rows of the page's "Your answers" table."""
    part = page[page.index('data-testid="answers"') :]
    part = part[: part.index("</section>")]
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>', part)
    return [(html.unescape(label), html.unescape(answer)) for label, answer in rows]


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_form_holds_every_question_with_a_label(client: TestClient) -> None:
    page = client.get("/check")
    assert page.status_code == 200
    assert "immunospine_csrf" in page.cookies
    assert NOT_A_DIAGNOSIS in page.text
    text = text_of(page.text)
    for number, q in enumerate(QUESTIONS, start=1):
        assert f"Question {number} of {len(QUESTIONS)}: {q.text}" in text
        assert f'data-testid="question-{q.id}"' in page.text
        if q.is_number:
            assert f'<label for="{q.id}">' in page.text
            assert f'type="number" id="{q.id}" name="{q.id}"' in page.text
        else:
            assert f'name="{q.id}" value="d"' in page.text  # "don't know"
    assert 'data-show-if="morning_stiffness=y"' in page.text
    assert 'data-show-if="buttock_pain=y"' in page.text
    assert 'data-show-if="has_back_pain=y|d|"' in page.text
    assert "<script>" not in page.text and " style=" not in page.text


def test_an_inflammatory_pattern_gives_the_terminal_summary(client: TestClient) -> None:
    page = post(client, as_form(TYPICAL_AS))
    text = text_of(page)
    assert NOT_A_DIAGNOSIS in text
    assert REFERRAL in text
    session = answer_all(TYPICAL_AS)
    result = triage.triage(session.case())
    assert result.referral.refer_to_rheumatology is True
    expected = f"About {round(100 * (result.probability.score or 0))} in 100"
    assert expected in text
    terminal = build_summary(session.rows(), result, on=datetime.now(UTC).date())
    for section in terminal.sections:
        assert section.heading in text
        for block in section.blocks:
            if isinstance(block, Paragraph):
                assert block.text in text
            elif isinstance(block, Bullets):
                assert all(item in text for item in block.items)
    assert answer_rows(page) == [(label, answer) for _s, label, answer in session.rows()]
    # red flags before the probability and the referral advice
    assert page.index('data-testid="warnings"') < page.index('data-testid="chance"')
    assert page.index('data-testid="chance"') < page.index('data-testid="doctor"')
    assert 'data-testid="emergency-alert"' not in page


def test_the_pdf_holds_the_advice_and_nothing_is_stored(client: TestClient) -> None:
    page = post(client, as_form(TYPICAL_AS))
    pdf_form = page[page.index('action="/check/summary.pdf"') :]
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', pdf_form))
    assert hidden.pop("csrf_token")
    assert hidden["duration_months"] == "5" and hidden["duration_months_unit"] == "years"
    answer = client.post("/check/summary.pdf", data={**hidden, "csrf_token": csrf(client)})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert "attachment" in answer.headers["content-disposition"]
    assert answer.headers["cache-control"] == "no-store"
    reader = pypdf.PdfReader(io.BytesIO(answer.content))
    assert len(reader.pages) == 1
    pdf_text = " ".join(reader.pages[0].extract_text().split())
    assert REFERRAL in pdf_text
    assert "not a diagnosis" in pdf_text
    assert "5 years (60 months)" in pdf_text


def test_without_its_csrf_token_nothing_is_computed(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(case: object) -> object:
        raise AssertionError("the triage ran for a refused form")

    monkeypatch.setattr(triage, "triage", refuse)
    client.get("/check")
    for path in ("/check", "/check/summary.pdf"):
        answer = client.post(path, data=as_form(TYPICAL_AS))
        assert answer.status_code == 403
        assert REFERRAL not in answer.text
        wrong = client.post(path, data={**as_form(TYPICAL_AS), "csrf_token": "not-this-one"})
        assert wrong.status_code == 403


def test_a_bad_number_shows_the_form_again_with_everything_kept(client: TestClient) -> None:
    form = {**as_form(TYPICAL_AS), "age": "200", "age_at_onset": "twenty"}
    answer = client.post("/check", data={**form, "csrf_token": csrf(client)})
    assert answer.status_code == 422
    page = answer.text
    text = text_of(page)
    assert "200 is outside what is allowed" in text
    assert 'data-testid="error-age"' in page
    assert 'id="age" name="age" value="200"' in page
    assert 'aria-invalid="true"' in page
    assert 'id="age_at_onset" name="age_at_onset" value="twenty"' in page
    assert 'data-testid="error-age_at_onset"' not in page  # "twenty" is read as 20
    assert 'id="sex-m" name="sex" value="m" checked' in page
    assert 'id="duration_months" name="duration_months" value="5"' in page
    assert '<option value="years" selected>' in page
    assert 'id="hla_b27-y" name="hla_b27" value="y" checked' in page
    assert REFERRAL not in text


def test_every_unanswered_question_is_named(client: TestClient) -> None:
    answer = client.post("/check", data={"csrf_token": csrf(client)})
    assert answer.status_code == 422
    for q in QUESTIONS:
        if q.gate:  # the follow-up of an unanswered question is not asked for
            assert f'data-testid="error-{q.id}"' not in answer.text
        else:
            assert f'data-testid="error-{q.id}"' in answer.text
    assert "the check needs it" in answer.text  # age has no "don't know"


def test_a_number_and_dont_know_together_are_a_problem(client: TestClient) -> None:
    form = {**as_form(TYPICAL_AS), "duration_months_dont_know": "d"}
    answer = client.post("/check", data={**form, "csrf_token": csrf(client)})
    assert answer.status_code == 422
    assert 'data-testid="error-duration_months"' in answer.text
    form = {**as_form(TYPICAL_AS), "duration_months": "", "duration_months_dont_know": "d"}
    assert dict(answer_rows(post(client, form)))["Back pain has lasted"] == "Don't know"


def test_follow_ups_after_no_or_dont_know_are_ignored(client: TestClient) -> None:
    form = {
        **as_form(TYPICAL_AS),
        "morning_stiffness": "n",
        "morning_stiffness_minutes": "not a number",  # posted without JavaScript: ignored
        "night_pain": "d",
        "wakes_second_half_of_night": "y",
        "buttock_pain": "n",
        "alternating_buttock_pain": "y",
    }
    rows = dict(answer_rows(post(client, form)))
    assert rows["Stiff back in the morning"] == "No"
    assert "Morning stiffness lasts" not in rows
    assert rows["Pain at night"] == "Don't know"
    assert "Wakes in second half of night" not in rows
    assert "Buttock pain switches sides" not in rows
    typed = {**TYPICAL_AS, "morning_stiffness": "n", "night_pain": "d", "buttock_pain": "n"}
    session = answer_all(typed)  # the terminal skips the same questions
    assert rows == {label: answer for _s, label, answer in session.rows()}


def test_a_follow_up_after_yes_must_be_answered(client: TestClient) -> None:
    form = {**as_form(TYPICAL_AS), "morning_stiffness_minutes": ""}
    form.pop("morning_stiffness_minutes_unit")
    answer = client.post("/check", data={**form, "csrf_token": csrf(client)})
    assert answer.status_code == 422
    assert 'data-testid="error-morning_stiffness_minutes"' in answer.text


def test_an_emergency_red_flag_puts_the_alert_first(client: TestClient) -> None:
    page = post(client, {**as_form(TYPICAL_AS), "saddle_anaesthesia": "y"})
    assert 'data-testid="emergency-alert"' in page
    assert page.index('data-testid="emergency-alert"') < page.index("<h1>")
    assert EMERGENCY_ALERT.upper() in page
    assert page.index('data-testid="warnings"') < page.index('data-testid="chance"')
    assert 'class="redflags"' in page
    assert REFERRAL not in page  # in an emergency the advice is about that alone


def test_no_back_pain_ends_with_the_advice(client: TestClient) -> None:
    form = {"age": "40", "sex": "f", "has_back_pain": "n", "duration_months": "oops"}
    for path in ("/check", "/check/summary.pdf"):
        page = post(client, form, path)
        assert NO_BACK_PAIN_ADVICE in text_of(page)
        assert 'data-testid="no-back-pain"' in page
        assert "Chance of inflammation" not in page


def test_the_templates_hold_no_inline_script_or_style() -> None:
    from immunospine.web import templating

    for name in ("check.html", "check_result.html"):
        source = (templating.TEMPLATES_DIR / name).read_text()
        assert "<script>" not in source and "style=" not in source


def test_a_contradiction_with_an_earlier_answer_is_said_for_the_page(client: TestClient) -> None:
    form = {**as_form(TYPICAL_AS), "age": "30", "duration_months": "20", "age_at_onset": "27"}
    answer = client.post("/check", data={**form, "csrf_token": csrf(client)})
    assert answer.status_code == 422
    found = re.search(r'data-testid="error-age_at_onset">([^<]+)<', answer.text)
    assert found is not None
    message = html.unescape(found.group(1))
    assert "You said the pain has lasted 20 years" in message
    assert "change the earlier answer above" in message and "type b" not in message
    assert '<a href="#age_at_onset">' in answer.text  # the summary leads to the field
    form = {**as_form(TYPICAL_AS), "sex": ""}
    answer = client.post("/check", data={**form, "csrf_token": csrf(client)})
    assert '<a href="#sex-f">' in answer.text


def test_a_signed_in_user_may_use_the_check_with_their_session_token(
    pages: Callable[[str | None], TestClient],
) -> None:
    patient = pages("patient")
    page = patient.get("/check")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = patient.post("/check", data={**as_form(TYPICAL_AS), "csrf_token": token.group(1)})
    assert answer.status_code == 200
    assert REFERRAL in text_of(answer.text)
