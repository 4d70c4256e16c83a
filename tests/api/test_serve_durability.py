"""Acknowledged means stored: ``immunospine serve`` killed with SIGKILL in the middle of a stream
of ``POST /api/v1/patients/{id}/visits`` loses no visit it answered 201 to, and leaves nothing
half-written (SQLite file database, real sockets, loopback only)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from immunospine.records import Condition, Diagnosis, Patient
from immunospine.services import accounts, database, record
from tests.accounts.fixtures import PASSWORD, fast_settings
from tests.api.test_serve import free_port, wait_for_health

PATIENT = "DUR-4410"
CLINICIAN = "clin-dur"
VISITS = 200
KILL_AFTER = 50
FIRST_DAY = date(2020, 1, 6)


def visit_body(day: date) -> dict[str, object]:
    return {
        "on": day.isoformat(),
        "labs": {"crp_mg_l": 9},
        "assessments": {"basdai": {"q1": 4, "q2": 5, "q3": 3, "q4": 4, "q5": 6, "q6": 5}},
    }


def start_server(db: Path, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    """``immunospine serve`` in its own process group; its output goes to ``log``."""
    script = Path(sys.executable).parent / "immunospine"
    with log.open("a", encoding="utf-8") as out:
        return subprocess.Popen(
            [str(script), "serve", "--db", str(db), "--port", str(port), "--workers", "1"],
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[str], sig: signal.Signals) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


class Stream:
    """Visits posted one after another from a background thread until the server goes away."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token
        self.sent: list[date] = []
        self.acknowledged: list[date] = []
        self.other: list[int] = []
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=10) as client:
            for i in range(VISITS):
                day = FIRST_DAY + timedelta(days=i)
                self.sent.append(day)
                try:
                    answer = client.post(f"/api/v1/patients/{PATIENT}/visits", json=visit_body(day))
                except httpx.TransportError:
                    return
                if answer.status_code == 201:
                    self.acknowledged.append(day)
                else:
                    self.other.append(answer.status_code)


def seed(db: Path, tmp: Path) -> None:
    settings = fast_settings(tmp)
    opened = database.open_database(str(db), settings)
    try:
        database.upgrade(opened)
        dx = (Diagnosis(condition=Condition.AXIAL_SPONDYLOARTHRITIS, diagnosed_on=FIRST_DAY),)
        patient = Patient(patient_id=PATIENT, year_of_birth=1981, diagnoses=dx)
        record.add_patient(opened, patient, actor="setup")
        accounts.add_user(
            opened, CLINICIAN, PASSWORD, "clinician", None, actor="setup", settings=settings
        )
        assert accounts.assign(opened, CLINICIAN, PATIENT, actor="setup")
    finally:
        opened.dispose()


def stored_visits(db: Path) -> tuple[dict[str, int], dict[str, int], str]:
    """Per date: BASDAI assessments with a score and a result, CRP results; the integrity check."""
    with sqlite3.connect(db) as conn:
        assessments = dict(
            conn.execute(
                "SELECT assessed_on, count(*) FROM assessments WHERE patient_id = ? "
                "AND calculator = 'basdai' AND score IS NOT NULL AND result IS NOT NULL "
                "AND inputs IS NOT NULL GROUP BY assessed_on",
                (PATIENT,),
            ).fetchall()
        )
        labs = dict(
            conn.execute(
                "SELECT collected_on, count(*) FROM lab_results WHERE patient_id = ? "
                "AND value IS NOT NULL GROUP BY collected_on",
                (PATIENT,),
            ).fetchall()
        )
        (integrity,) = conn.execute("PRAGMA integrity_check").fetchone()
    conn.close()
    return assessments, labs, str(integrity)


def log_text(tmp: Path) -> str:
    return (tmp / "serve.log").read_text(encoding="utf-8")


@pytest.mark.slow
def test_sigkill_mid_stream_loses_no_acknowledged_visit(tmp_path: Path) -> None:
    db = tmp_path / "clinic.db"
    seed(db, tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMMUNOSPINE_")}
    env.update(
        IMMUNOSPINE_KEY_FILE=str(tmp_path / "keys" / "secret.key"),
        IMMUNOSPINE_ARGON2_TIME_COST="1",
        IMMUNOSPINE_ARGON2_MEMORY_KIB="8",
        IMMUNOSPINE_ARGON2_PARALLELISM="1",
        IMMUNOSPINE_LOGIN_SLOW_DELAY_MS="0",
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port, env, tmp_path / "serve.log")
    try:
        wait_for_health(base, server)
        signed_in = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"username": CLINICIAN, "password": PASSWORD},
            timeout=10,
        )
        assert signed_in.status_code == 200, signed_in.text
        stream = Stream(base, str(signed_in.json()["access_token"]))
        stream.thread.start()
        deadline = time.monotonic() + 40
        while len(stream.acknowledged) < KILL_AFTER and time.monotonic() < deadline:
            assert stream.thread.is_alive() or len(stream.acknowledged) >= KILL_AFTER
            time.sleep(0.005)
        assert len(stream.acknowledged) >= KILL_AFTER, (stream.other, log_text(tmp_path))
    finally:
        stop(server, signal.SIGKILL)  # mid-stream: no shutdown, no flush
    stream.thread.join(timeout=20)
    assert not stream.thread.is_alive()
    assert stream.other == []
    assert len(stream.sent) < VISITS, "the server was killed after the stream had ended"
    acknowledged = {d.isoformat() for d in stream.acknowledged}
    sent = {d.isoformat() for d in stream.sent}

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port, env, tmp_path / "serve.log")
    try:
        health = wait_for_health(base, server)
        assert health["database"] == "ok"
        token = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"username": CLINICIAN, "password": PASSWORD},
            timeout=10,
        ).json()["access_token"]
        timeline = httpx.get(
            f"{base}/api/v1/patients/{PATIENT}/timeline",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert timeline.status_code == 200
    finally:
        stop(server, signal.SIGINT)

    assert "Traceback" not in log_text(tmp_path)
    assessments, labs, integrity = stored_visits(db)
    assert integrity == "ok"
    assert acknowledged <= set(assessments), "an acknowledged visit was lost"
    assert set(assessments) == set(labs), "a visit was half-written"
    assert all(n == 1 for n in (*assessments.values(), *labs.values()))
    assert set(assessments) <= sent
    assert len(acknowledged) <= len(assessments) <= len(sent)
    for day in acknowledged:
        assert day in timeline.text
