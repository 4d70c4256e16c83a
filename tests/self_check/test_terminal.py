"""``immunospine self-check`` driven in a real pseudo-terminal with pexpect."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from immunospine.services.self_check import QUESTIONS, Session
from tests.self_check.answers import TYPICAL_AS

pytestmark = pytest.mark.terminal
TIMEOUT_S = 30  # a ceiling for a loaded machine, not a timing assertion


def spawn(tmp_path: Path, *extra: str, out: Path | None = None) -> tuple[pexpect.spawn, Path]:
    out = out or tmp_path / "out"
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
    skipped = 0
    while (question := mirror.current) is not None and question.id != stop_at:
        n, m = mirror.progress()
        assert m == len(QUESTIONS)
        if len(mirror.skipped()) > skipped:
            child.expect_exact("(Skipping 1 follow-up question that does not apply")
            skipped = len(mirror.skipped())
        child.expect_exact(f"Question {n} of {m}: {question.text[:30]}")
        child.expect_exact("> ")
        child.sendline(answers[question.id])
        reply = mirror.submit(answers[question.id])
        if reply.alert:
            child.expect_exact("SEEK EMERGENCY CARE NOW")
    return mirror


def finish(child: pexpect.spawn, code: int = 0) -> str:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code, child.before
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
    child.expect_exact("What to ask your doctor")
    child.expect_exact("the warning sign comes first")
    tail = finish(child)
    assert "rheumatologist" not in tail.split("Other things to discuss")[0]
    assert (out / "immunospine-summary.html").is_file()
    assert not (out / "immunospine-summary.pdf").exists()


def test_q_quits_and_writes_nothing(tmp_path: Path) -> None:
    child, out = spawn(tmp_path)
    answer(child, TYPICAL_AS, stop_at="duration_months")
    child.expect_exact("Question 4 of")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect_exact("Nothing was saved.")
    finish(child, 1)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_exits_130_and_ctrl_d_exits_1(tmp_path: Path) -> None:
    """Defect 4: quitting exited 0, as if the self-check had been completed."""
    for send, code in ((pexpect.spawn.sendintr, 130), (pexpect.spawn.sendeof, 1)):
        child, out = spawn(tmp_path)
        child.expect_exact("Question 1 of")
        child.expect_exact("> ")
        send(child)
        child.expect_exact("Nothing was saved.")
        finish(child, code)
        assert not out.exists()


@pytest.mark.parametrize("option", ["--out-dir", "-o", "--out"])
def test_an_unusable_folder_is_refused_before_the_first_question(
    tmp_path: Path, option: str
) -> None:
    """Defect 4: the folder was checked only after all the answers, which were then lost."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "immunospine", "self-check", option, str(blocker / "out")],
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=TIMEOUT_S,
    )
    tail = finish(child, 2)
    assert "--out-dir" in tail and "not a folder" in tail
    assert "Question 1" not in tail


def test_an_earlier_summary_is_kept(tmp_path: Path) -> None:
    """Defect 4: a second self-check in the same folder replaced the first summary silently."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "immunospine-summary.html").write_text("earlier", encoding="utf-8")
    child, _ = spawn(tmp_path, "--no-pdf", out=out)
    answer(child, TYPICAL_AS)
    child.expect_exact("earlier summary in this folder was kept")
    tail = finish(child)
    assert str((out / "immunospine-summary-2.html").resolve()) in tail
    assert (out / "immunospine-summary.html").read_text(encoding="utf-8") == "earlier"


def test_a_no_skips_its_follow_up_and_says_so(tmp_path: Path) -> None:
    child, out = spawn(tmp_path, "--no-pdf")
    mirror = answer(child, {**TYPICAL_AS, "morning_stiffness": "n", "night_pain": "d"})
    assert mirror.progress() == (len(QUESTIONS), len(QUESTIONS))
    assert len(mirror.skipped()) == 2
    finish(child)
    html = (out / "immunospine-summary.html").read_text("utf-8")
    assert "Morning stiffness lasts" not in html and "Wakes in second half" not in html


def test_invalid_answers_are_re_asked(tmp_path: Path) -> None:
    child, out = spawn(tmp_path)
    child.expect_exact("Question 1 of")
    child.expect_exact("> ")
    child.sendline("about thirty")
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
    child.sendline("two years")
    child.expect_exact("Question 5 of")
    child.expect_exact("> ")
    child.sendline("35")
    child.expect_exact("older than your age now (30)")
    child.expect_exact("Question 5 of")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect_exact("Nothing was saved.")
    finish(child, 1)
    assert not out.exists()


def test_no_back_pain_stops_early_with_advice(tmp_path: Path) -> None:
    child, out = spawn(tmp_path)
    answer(child, {**TYPICAL_AS, "has_back_pain": "n"})
    child.expect_exact("This check is about back pain")
    finish(child)
    assert not out.exists()
