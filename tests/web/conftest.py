"""The web pages under test: a seeded demo clinic with demo users, a signed-in page client
(in-process), and for the browser journeys a real server process with Debian's chromium driven
by Playwright.

- ``site`` (session): a SQLite clinic of synthetic patients with the demo users of ``make run``
  (known passwords) and a second patient user, ``patient-b``.
- ``pages``: ``pages(role)`` → a TestClient signed in as that role's demo user (``None``: no one).
- ``live_site`` (session): ``immunospine serve`` on a free loopback port over a copy of ``site``.
- ``browser_page``: a fresh Playwright page in headless chromium (``/usr/bin/chromium``; the
  tests are skipped, saying why, when it is missing).
- ``screenshot(page, name)``: keeps a full-page PNG under ``test-artifacts/screenshots``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from immunospine.api import create_app
from immunospine.services import accounts, database, demo_clinic, demo_site
from immunospine.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
SECRET = "web-tests-secret-key-0123456789abcdef-0123"  # noqa: S105 - synthetic, tests only
PASSWORDS = {
    "admin": "admin password 123",
    "clinician": "clinician password 123",
    "patient": "patient password 123",
}
PATIENT_B = ("patient-b", "patient b password 123")
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}


@dataclass(frozen=True)
class Site:
    """A seeded clinic and who may sign in to it."""

    url: str
    path: Path
    settings: Settings
    logins: dict[str, tuple[str, str]]
    patient_id: str
    patient_b_id: str
    patient_ids: tuple[str, ...] = field(default=())


def web_settings(url: str) -> Settings:
    return Settings(database_url=url, secret_key=SECRET, **CHEAP_ARGON2)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    path = tmp_path_factory.mktemp("web") / "clinic.db"
    url = f"sqlite:///{path}"
    settings = web_settings(url)
    db = database.open_database(url, settings)
    try:
        database.upgrade(db)
        demo_clinic.seed_clinic(
            db, 8, 11, actor="web-tests", diary_days=120, end=datetime.now().astimezone().date()
        )
        made = demo_site.create_demo_users(db, settings=settings, passwords=PASSWORDS)
        with db.transaction() as uow:
            ids = tuple(uow.patients.ids())
        patient_id = next(m.patient_id for m in made if m.role == "patient")
        other = next(p for p in ids if p != patient_id)
        accounts.add_user(
            db, PATIENT_B[0], PATIENT_B[1], "patient", patient_id=other, actor="t",
            settings=settings,
        )  # fmt: skip
    finally:
        db.dispose()
    logins = {m.role: (m.username, PASSWORDS[m.role]) for m in made}
    logins["patient_b"] = PATIENT_B
    return Site(url, path, settings, logins, str(patient_id), other, ids)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_token in the page"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str) -> None:
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]


@pytest.fixture
def pages(site: Site) -> Iterator[Callable[[str | None], TestClient]]:
    clients: list[TestClient] = []
    app = create_app(site.settings, database_url=site.url)

    def make(role: str | None) -> TestClient:
        client = TestClient(app)
        clients.append(client)
        if role is not None:
            sign_in(client, *site.logins[role])
        return client

    yield make
    for c in clients:
        c.close()


# --- a real server and a real browser ------------------------------------------------------


@dataclass(frozen=True)
class LiveSite:
    url: str
    logins: dict[str, tuple[str, str]]
    patient_id: str
    patient_b_id: str
    database_url: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_site(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    copy = tmp_path_factory.mktemp("live") / "clinic.db"
    shutil.copy(site.path, copy)
    port = _free_port()
    env = {
        **os.environ,
        "IMMUNOSPINE_SECRET_KEY": SECRET,
        **{f"IMMUNOSPINE_{k.upper()}": str(v) for k, v in CHEAP_ARGON2.items()},
    }
    log = (tmp_path_factory.mktemp("live-log") / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "immunospine", "serve", "--db", str(copy), "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"the server did not start: {Path(log.name).read_text()[-2000:]}")
        time.sleep(0.2)
    try:
        yield LiveSite(base, site.logins, site.patient_id, site.patient_b_id, f"sqlite:///{copy}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/system-packages installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


@pytest.fixture
def browser_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    """A page at 360 px width, as on a small phone."""
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 360, "height": 740}, is_mobile=True,
        has_touch=True, device_scale_factor=2,
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Keep a full-page screenshot as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def browser_sign_in(page: Any, site: LiveSite, role: str) -> None:
    username, password = site.logins[role]
    page.goto(f"{site.url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_test_id("sign-in").click()
    page.wait_for_load_state()


AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = ("serious", "critical")


def assert_accessible(page: Any, name: str) -> None:
    """Run axe-core (vendored for the tests) on the page: no serious or critical violations.

    The script goes in through the DevTools protocol (``page.evaluate``), which the page's
    Content-Security-Policy does not govern, so the app's policy stays as it is in production.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa', 'best-practice']}})"
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v.get("impact") in SERIOUS
    ]
    assert not bad, f"{name}: " + "\n".join(bad)


def assert_fits(page: Any, name: str) -> None:
    """Nothing on the page is wider than the screen (no sideways scrolling at 360 px)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{name}: the page is {overflow} px wider than the screen"
