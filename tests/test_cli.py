"""The command line's own behaviour: usage errors, exit codes, help."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from immunospine.cli import main
from immunospine.knowledge import calculate


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


def _calc(
    name: str, text: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code = main(["calc", name])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("basdai", '{"q1": true}', "q1 = true: must be a number"),
        ("basdai", '{"q1": null}', "q1 = null: must be a number"),
        ("basdai", '{"q1": {"a": 1}}', 'q1 = {"a": 1}: must be a number'),
        ("basdai", '{"q1": "5"}', 'q1 = "5": must be a number'),
        ("basdai", '{"q1": NaN}', "q1 = NaN: is not a number that JSON allows"),
        ("basdai", "[1, 2]", "must be a JSON object, not a list"),
        ("asas_axspa", '{"hla_b27": "yes"}', 'hla_b27 = "yes": must be true or false'),
        ("rapid3", '{"pain": 3.3}', "pain = 3.3: must be a multiple of 0.5"),
        ("das28_esr", '{"tender_joints_28": 2.5}', "tender_joints_28 = 2.5: must be a whole"),
        ("asdas_crp", '{"coefficients": "x"}', 'coefficients = "x": must be "published" or'),
        ("rmdq", '{"items": [1]}', "items[0] = 1: must be true or false"),
        ("haq_di", '{"scoring": false}', 'scoring = false: must be "with_aids" or'),
        ("eular_response", '{"baseline": []}', "baseline = []: must be a JSON object"),
        ("nosuch", "{}", 'unknown calculator "nosuch"'),
    ],
)
def test_calc_errors_write_values_as_json_and_rules_in_words(
    name: str,
    text: str,
    words: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Defect 9: no Python reprs (True, None, {'a': 1}), no regexes, no library wording."""
    code, out, err = _calc(name, text, monkeypatch, capsys)
    assert code == 2 and out == ""
    assert words in err
    for python in ("True", "None", "{'", "'x'", "Input should", "got list", "regex"):
        assert python not in err, err


def test_calc_prints_components_without_float_noise(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 9: 0.058 × 3.1 is 0.17980000000000002 in floating point; printed 0.1798."""
    case = {
        "back_pain": 2.9,
        "morning_stiffness_duration": 3.1,
        "patient_global": 4.7,
        "peripheral_pain": 1.3,
        "crp_mg_l": 1.1,
    }
    code, out, err = _calc("asdas_crp", json.dumps(case), monkeypatch, capsys)
    assert code == 0, err
    assert '"morning_stiffness_duration": 0.1798,' in out
    assert "0000000" not in out and "9999999" not in out
    exact = calculate("asdas_crp", **case)
    assert exact.components["morning_stiffness_duration"] == 0.058 * 3.1  # the result is exact
    assert json.loads(out)["score"] == pytest.approx(exact.score, rel=1e-9)


HEAVY = (
    "sqlalchemy",
    "alembic",
    "pyarrow",
    "ibis",
    "duckdb",
    "fhir",
    "fpdf",
    "jinja2",
    "pandas",
    "polars",
    "vl_convert",
    "pyspark",
)
_PROBE = """
import contextlib, io, sys
from immunospine.cli import main
sys.stdin = io.StringIO('{"q1": 2, "q2": 10, "q3": 7, "q4": 1, "q5": 9, "q6": 3}')
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[0].split(",")))
print(code, ",".join(heavy))
"""


@pytest.mark.parametrize("args", [["--help"], ["calc", "basdai"], ["--version"]])
def test_start_up_imports_no_heavy_library(args: list[str]) -> None:
    """Issue 8 §1: `--help` and `calc NAME` import no database, dataframe, FHIR or PDF library.

    A check on what is imported, not a timing (benchmarks/bench_startup.py measures the time).
    """
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.replace("sys.argv[0]", repr(",".join(HEAVY))), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split("\n")[0] == "0 ", done.stdout + done.stderr


def test_help_lists_commands_without_importing_them() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.replace("sys.argv[0]", "'immunospine'"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from immunospine.cli import main; main(['--help']); "
            "print(sorted(m for m in sys.modules if m.startswith('immunospine.cli.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("0")
    assert loaded.stdout.strip().endswith("[]")


def test_the_command_table_matches_what_the_modules_register() -> None:
    """Each entry of COMMANDS names the modules that define the command, and its summary is
    how the command's own help begins, so `immunospine --help` says what `X --help` says."""
    import typer

    from immunospine.cli import COMMANDS, app, register_all

    register_all()
    root = typer.main.get_command(app)
    real = root.commands  # type: ignore[attr-defined]
    assert list(real) == list(COMMANDS)
    for name, entry in COMMANDS.items():
        text = " ".join((real[name].help or "").split())
        assert text.startswith(entry.summary), name
    code = (
        "import importlib, sys, typer; from immunospine.cli import COMMANDS, app; "
        "n = sys.argv[1]; [importlib.import_module('immunospine.cli.' + m) "
        "for m in COMMANDS[n].modules]; print(n in typer.main.get_command(app).commands)"
    )
    for name in COMMANDS:
        done = subprocess.run(
            [sys.executable, "-c", code, name], capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "True", name


def _all_command_paths() -> list[list[str]]:
    import typer

    from immunospine.cli import app, register_all

    register_all()
    paths: list[list[str]] = [[]]

    def walk(command: object, path: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*path, name])
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


@pytest.mark.parametrize("path", _all_command_paths(), ids=lambda p: " ".join(p) or "(root)")
def test_no_help_shows_a_type_placeholder_for_a_flag(
    path: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 8 §1: no `<bool>` in any --help (flags are written `--flag` or `--flag/--no-flag`)."""
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage: immunospine" in out
    assert "<bool>" not in out and "BOOLEAN" not in out
    options = "\n".join(line for line in out.splitlines() if line.lstrip().startswith("-"))
    for typer_type in ("<list[", "<int>", "<float>", "<path>"):  # TEXT, INTEGER, NUMBER, PATH
        assert typer_type not in options, (path, options)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from immunospine import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"immunospine {__version__}\n"


def test_a_mistyped_command_is_named_with_a_suggestion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["calx"]) == 2
    assert "Did you mean 'calc'" in capsys.readouterr().err


def test_garbage_collection_paused_at_start_up_is_back_on_when_the_command_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The console script pauses the cyclic collector while modules load; the root callback,
    which runs after parsing and before the command's body, turns it back on."""
    import gc

    from immunospine import cli

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(dict.fromkeys(BASDAI_ITEMS, 1))))
    try:
        cli._pause_gc()
        assert not gc.isenabled()
        assert main(["calc", "basdai"]) == 0
        assert gc.isenabled() and not cli._gc_paused
    finally:
        gc.enable()
        gc.unfreeze()
    assert '"score": 1.0' in capsys.readouterr().out


BASDAI_ITEMS = ("q1", "q2", "q3", "q4", "q5", "q6")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["cohort", "generate", "-n", "abc", "-o", "x"], "'-n': must be a whole number"),
        (["triage", "-f", "xml"], '"xml" is not one of "json", "text"'),
        (
            ["patient", "diagnose", "X", "--condition", "axspa", "--on", "2020-13-01"],
            '"2020-13-01" must be a date as YYYY-MM-DD',
        ),
    ],
)
def test_bad_option_values_are_worded_as_our_own_errors(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 9: typer passed pydantic's wording ("Input should be a valid integer, unable to
    parse string as an integer") and Python quotes ('xml'); the one translator words them."""
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Input should" not in err and "%Y" not in err and "'xml'" not in err
