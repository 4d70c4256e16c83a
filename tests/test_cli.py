"""The command line's own behaviour: usage errors, exit codes, help."""

from __future__ import annotations

import subprocess
import sys

import pytest

from immunospine.cli import main


def test_usage_error_exits_2_with_nothing_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calc", "--bogus"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "--bogus" in err


def test_no_arguments_shows_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert "Usage" in out + err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "never a diagnosis" in capsys.readouterr().out


def test_console_script_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "immunospine", "calc", "basdai"],
        input='{"q1": 2, "q2": 10, "q3": 7, "q4": 1, "q5": 9, "q6": 3}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"score": 5.2' in done.stdout


def test_bad_input_from_the_console_script_exits_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "immunospine", "calc", "basdai"],
        input='{"q1": 12}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "q1 = 12" in done.stderr
