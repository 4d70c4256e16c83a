"""``immunospine self-check`` driven in a real pseudo-terminal with pexpect."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from immunospine.services.self_check import Session
from tests.self_check.answers import TYPICAL_AS

pytestmark = pytest.mark.terminal
TIMEOUT_S = 30  # a ceiling for a loaded machine, not a timing assertion


def spawn(tmp_path: Path, *extra: str) -> tuple[pexpect.spawn, Path]:
    out = tmp_path / "out"
    env = {
        **os.environ,
        "TERM": os.environ.get("TERM", "xterm"),
        "PYTHONIOENCODING": "utf-8",
        "COLUMNS": "200",
        "LINES": "50",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "immunospine", "self-check", "--out-dir", str(out), *extra],
        cwd=str(tmp_path),
        env=env,
        dimensions=(50, 200),
        encoding="utf-8",
        timeout=TIMEOUT_S,
    )
    return child, out


def answer(child: pexpect.spawn, answers: dict[str, str], *, stop_at: str = "") -> Session:
    """Answer each question the terminal shows, checked against the session's own order."""
    mirror = Session()
    while (question := mirror.current) is not None and question.id != stop_at:
        n, m = mirror.progress()
        child.expect_exact(f"Question {n} of {m}: {question.text[:30]}")
        child.expect_exact("> ")
        child.sendline(answers[question.id])
        reply = mirror.submit(answers[question.id])
        if reply.alert:
            child.expect_exact("SEEK EMERGENCY CARE NOW")
    return mirror


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return re.sub(r"\x1b\[[0-9;]*m", "", child.before or "")


def test_a_typical_story_ends_in_advice_and_both_files(tmp_path: Path) -> None:
    child, out = spawn(tmp_path)
    child.expect_exact("not a diagnosis")
    answer(child, TYPICAL_AS)
    child.expect_exact("Your result")
    child.expect_exact("What your answers suggest")
    child.expect(r"About \d+ in 100")
    child.expect_exact("What to ask your doctor")
    child.expect_exact("referral to a rheumatologist")
    child.expect_exact("not a diagnosis")
    child.expect_exact("Your summary for your doctor is saved here:")
    tail = finish(child)
    html, pdf = out / "immunospine-summary.html", out / "immunospine-summary.pdf"
    assert str(html.resolve()) in tail and str(pdf.resolve()) in tail
    assert "not a diagnosis" in html.read_text(encoding="utf-8")
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_an_emergency_answer_warns_at_once_and_the_summary_follows(tmp_path: Path) -> None:
    child, out = spawn(tmp_path, "--no-pdf")
    answer(child, {**TYPICAL_AS, "saddle_anaesthesia": "y", "bladder_or_bowel_dysfunction": "y"})
    child.expect_exact("Seek emergency care now.")
    child.expect_exact("emergency department")
    finish(child)
    assert (out / "immunospine-summary.html").is_file()
    assert not (out / "immunospine-summary.pdf").exists()


def test_q_quits_and_writes_nothing(tmp_path: Path) -> None:
    child, out = spawn(tmp_path)
    answer(child, TYPICAL_AS, stop_at="duration_months")
    child.expect_exact("Question 4 of")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect_exact("Nothing was saved.")
    finish(child)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_invalid_answers_are_re_asked(tmp_path: Path) -> None:
    child, out = spawn(tmp_path)
    child.expect_exact("Question 1 of")
    child.expect_exact("> ")
    child.sendline("thirty")
    child.expect_exact("could not read that as a number")
    child.expect_exact("Question 1 of")
    child.expect_exact("> ")
    child.sendline("150")
    child.expect_exact("outside what is allowed")
    child.expect_exact("> ")
    child.sendline("30")
    child.expect_exact("Question 2 of")
    child.expect_exact("> ")
    child.sendline("f")
    child.expect_exact("> ")
    child.sendline("y")
    child.expect_exact("> ")
    child.sendline("2 years")
    child.expect_exact("Question 5 of")
    child.expect_exact("> ")
    child.sendline("35")
    child.expect_exact("older than your age now (30)")
    child.expect_exact("Question 5 of")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect_exact("Nothing was saved.")
    finish(child)
    assert not out.exists()


def test_no_back_pain_stops_early_with_advice(tmp_path: Path) -> None:
    child, out = spawn(tmp_path)
    answer(child, {**TYPICAL_AS, "has_back_pain": "n"})
    child.expect_exact("This check is about back pain")
    finish(child)
    assert not out.exists()
