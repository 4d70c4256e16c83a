"""``immunospine user add|assign|list``: passwords from standard input or a terminal prompt,
never echoed; errors name the command's own arguments; ``list`` never shows hashes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from immunospine.cli import main
from immunospine.services import accounts, database, record
from tests.accounts.fixtures import PASSWORD


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for name, value in {"TIME_COST": "1", "MEMORY_KIB": "8", "PARALLELISM": "1"}.items():
        monkeypatch.setenv(f"IMMUNOSPINE_ARGON2_{name}", value)
    path = tmp_path / "clinic.db"
    assert main(["db", "upgrade", "--db", str(path)]) == 0
    handle = database.open_database(str(path))
    record.register_patient(handle, "P1", 1980, "female", actor="t")
    handle.dispose()
    return str(path)


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_add_assign_list(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    _stdin(monkeypatch, PASSWORD + "\n")
    assert (
        main(["user", "add", "dr.lee", "--role", "clinician", "--password-stdin", "--db", url]) == 0
    )
    _stdin(monkeypatch, PASSWORD + "\n")
    argv = ["user", "add", "pat", "--role", "patient", "--patient-id", "P1", "--password-stdin"]
    assert main([*argv, "--db", url, "--actor", "admin-x"]) == 0
    out = capsys.readouterr().out
    assert "added user dr.lee (clinician)" in out and "added user pat (patient, patient P1)" in out
    assert PASSWORD not in out

    assert main(["user", "assign", "dr.lee", "P1", "--db", url]) == 0
    assert main(["user", "assign", "dr.lee", "P1", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "added to the care team of dr.lee" in out and "already in the care team" in out

    assert main(["user", "list", "--db", url]) == 0
    text = capsys.readouterr().out
    assert "dr.lee" in text and "care team: P1" in text and "$argon2" not in text
    assert main(["user", "list", "--json", "--db", url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(u["username"], u["role"], u["patient_id"], u["care_team"]) for u in listed] == [
        ("dr.lee", "clinician", None, ["P1"]),
        ("pat", "patient", "P1", []),
    ]
    assert all("hash" not in key for u in listed for key in u)

    handle = database.open_database(url)
    principal = accounts.authenticate(handle, "pat", PASSWORD, "127.0.0.1")
    handle.dispose()
    assert principal == accounts.Principal("pat", "patient", "P1")


def test_add_errors_name_the_flags_and_never_echo_the_password(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    _stdin(monkeypatch, "tooshort\n")
    assert main(["user", "add", "bob", "--role", "admin", "--password-stdin", "--db", url]) == 2
    err = capsys.readouterr().err
    assert "password" in err and "12 characters" in err and "tooshort" not in err
    _stdin(monkeypatch, PASSWORD + "\n")
    assert main(["user", "add", "bob", "--role", "patient", "--password-stdin", "--db", url]) == 2
    assert "--patient-id" in capsys.readouterr().err
    _stdin(monkeypatch, PASSWORD + "\n")
    argv = ["user", "add", "bob", "--role", "patient", "--patient-id", "P9", "--password-stdin"]
    assert main([*argv, "--db", url]) == 2
    assert '--patient-id = "P9"' in capsys.readouterr().err
    _stdin(monkeypatch, PASSWORD + "\n")
    assert main(["user", "add", "Bob", "--role", "nurse", "--password-stdin", "--db", url]) == 2
    assert 'USERNAME = "Bob"' in capsys.readouterr().err
    for _ in range(2):
        _stdin(monkeypatch, PASSWORD + "\n")
        code = main(["user", "add", "bob", "--role", "admin", "--password-stdin", "--db", url])
    assert code == 1 and 'username = "bob": is taken' in capsys.readouterr().err


def test_without_password_stdin_a_pipe_is_refused(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    _stdin(monkeypatch, PASSWORD + "\n")
    assert main(["user", "add", "carol", "--role", "admin", "--db", url]) == 2
    err = capsys.readouterr().err
    assert "--password-stdin" in err and PASSWORD not in err


def test_terminal_prompt_asks_twice(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import immunospine.cli.user as user_cli

    answers = iter([PASSWORD, PASSWORD, PASSWORD, "something else!"])
    prompts: list[str] = []

    def fake_getpass(prompt: str, stream: object = None) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(user_cli.getpass, "getpass", fake_getpass)
    monkeypatch.setattr(user_cli.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(user_cli.sys.stderr, "isatty", lambda: True, raising=False)
    assert main(["user", "add", "dave", "--role", "admin", "--db", url]) == 0
    assert len(prompts) == 2
    assert main(["user", "add", "erin", "--role", "admin", "--db", url]) == 2
    err = capsys.readouterr().err
    assert "differ" in err and PASSWORD not in err


def test_assign_errors(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["user", "assign", "ghost", "P1", "--db", url]) == 1
    assert "user 'ghost' not found" in capsys.readouterr().err
