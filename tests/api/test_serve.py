"""``immunospine serve`` as a real process on a free loopback port, driven over real sockets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from immunospine.services.database import opened, upgrade


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_health(
    base: str, process: subprocess.Popen[str], seconds: float = 30
) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.communicate()}")
        try:
            return httpx.get(f"{base}/api/v1/health", timeout=2).json()  # type: ignore[no-any-return]
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer in time")


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_over_a_real_socket(tmp_path: Path, workers: int) -> None:
    db = tmp_path / "clinic.db"
    with opened(str(db), create=True) as database:
        upgrade(database)
    port = free_port()
    script = Path(sys.executable).parent / "immunospine"
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMMUNOSPINE_")}
    process = subprocess.Popen(
        [str(script), "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        health = wait_for_health(base, process)
        assert health["status"] == "ok"
        assert health["database"] == "ok"  # --db reaches every worker
        body = {
            "back_pain": 6,
            "morning_stiffness_duration": 5,
            "patient_global": 7,
            "peripheral_pain": 3,
            "crp_mg_l": 12,
        }
        response = httpx.post(f"{base}/api/v1/calculators/asdas_crp", json=body, timeout=5)
        assert response.status_code == 200
        assert response.json()["name"] == "asdas_crp"
        assert response.headers["x-frame-options"] == "DENY"
        bad = httpx.post(f"{base}/api/v1/calculators/asdas_crp", json={"crp_mg_l": -3}, timeout=5)
        assert bad.status_code == 422
        assert bad.json()["error"]["type"] == "input_error"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/api/v1" in out
    assert "Traceback" not in err


def test_the_shown_database_address_hides_a_password() -> None:
    from immunospine.cli.serve import _shown, _url_host

    assert _shown("postgresql+psycopg://ann:s3cret@db:5432/clinic") == (
        "postgresql+psycopg://ann:***@db:5432/clinic"
    )
    assert _shown("postgresql+psycopg://ann@db/clinic") == "postgresql+psycopg://ann@db/clinic"
    assert _shown("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    assert _url_host("::1") == "[::1]"
    assert _url_host("127.0.0.1") == "127.0.0.1"
