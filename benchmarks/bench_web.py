"""Web pages: server time of ``/clinic``, a 10-year patient page and ``/me``; page weight of /me.

    .venv/bin/python benchmarks/bench_web.py [--repeat 30] [--profile] [--write-docs]

The clinic (SQLite): ``seed_clinic(db, 1000, seed, diary_days=90)`` ending today, plus the
10-year patient of ``bench_report.py`` (``T10Y``: 3,650 daily diary entries, 40 visits, three
medication courses), moved to end today so that the pages' recent windows hold data. A clinician
has all 1,001 patients in the care team; a patient user is linked to T10Y. The built database is
kept under the temp folder by a content key (the builder's source, ``bench_report.py``, the demo
generator, the migrations, the date) and each run works on a fresh copy of it.

Server time is measured in-process: a signed-in ``TestClient`` on the real application
(``immunospine.api.create_app``) asks each page 3 times to warm up, then ``--repeat`` times timed
(median and p95, and the CPU time of this process per request, steadier when the machine is
busy). One more request of each page runs under cProfile: the docs list the cumulative time of
the page's main parts, and ``--profile`` prints the top 15 functions. Page weight: the HTML of
``/me`` and every script and stylesheet it references, fetched with ``Accept-Encoding: gzip`` as
a browser would, counted as transferred.
Goals (issue 10): server time ≤ 300 ms for each page; ``/me`` ≤ 300 kB including scripts.
``--write-docs`` replaces the "Web pages" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import inspect
import io
import os
import platform
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bench_report
import docs_section

from immunospine.api import create_app
from immunospine.services import accounts, database, demo_clinic
from immunospine.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's TestClient warns about httpx's deprecations
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Web pages"
COMMAND = ".venv/bin/python benchmarks/bench_web.py --write-docs"
PATIENTS = 1000
DIARY_DAYS = 90
SEED = 20261207
WARMUP = 3
GOAL_MS = 300.0
GOAL_WEIGHT_KB = 300.0
SECRET = "bench-web-secret-key-0123456789abcdef-0123456789"  # noqa: S105 - a throwaway key
CLINICIAN = ("bench-clin", "bench clinician password 1234")
PATIENT_USER = ("bench-patient", "bench patient password 1234")
PAGES = {
    "clinic list": ("/clinic", "clinician"),
    "patient page (10 years)": (f"/clinic/patients/{bench_report.PATIENT}", "clinician"),
    "/me (10 years)": ("/me", "patient"),
}
KEYED_SOURCES = (
    Path(bench_report.__file__),
    ROOT / "src" / "immunospine" / "services" / "demo_clinic.py",
    *sorted((ROOT / "src" / "immunospine" / "demo").glob("*.py")),
    *sorted((ROOT / "src" / "immunospine" / "storage" / "migrations").rglob("*.py")),
)


def settings_for(url: str, tmp: Path) -> Settings:
    """Cheap password hashing and no slow-down on sign-in (throwaway benchmark accounts)."""
    return Settings(
        database_url=url,
        secret_key=SECRET,  # type: ignore[arg-type]
        key_file=tmp / "secret.key",
        argon2_time_cost=1,
        argon2_memory_kib=8,
        argon2_parallelism=1,
        login_slow_delay_ms=0,
    )


def cache_key(today: dt.date) -> str:
    h = hashlib.sha256(f"{today.isoformat()} {PATIENTS} {DIARY_DAYS} {SEED}".encode())
    h.update(f"{CLINICIAN} {PATIENT_USER}".encode())
    h.update(inspect.getsource(build).encode())
    for path in KEYED_SOURCES:
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def build(path: Path, today: dt.date) -> None:
    """The clinic, the 10-year patient and the two users, in a new SQLite file at ``path``."""
    url = f"sqlite:///{path}"
    settings = settings_for(url, path.parent)
    db = database.open_database(url, settings)
    try:
        database.upgrade(db)
        demo_clinic.seed_clinic(db, PATIENTS, SEED, actor="bench", end=today, diary_days=DIARY_DAYS)
    finally:
        db.dispose()
    bench_report.END = today  # the 10 years end today (bench_report's builder reads END)
    bench_report.build(url)
    db = database.open_database(url, settings)
    try:
        with db.transaction() as uow:
            ids = list(uow.patients.ids())
        accounts.add_user(db, *CLINICIAN, "clinician", None, actor="bench", settings=settings)
        for pid in ids:
            accounts.assign(db, CLINICIAN[0], pid, actor="bench")
        accounts.add_user(
            db, *PATIENT_USER, "patient", bench_report.PATIENT, actor="bench", settings=settings
        )
    finally:
        db.dispose()


def clinic_file(today: dt.date) -> tuple[Path, float | None]:
    """The cached clinic for today (built when missing) and the build time if it was built."""
    folder = Path(tempfile.gettempdir()) / "immunospine-bench-web" / cache_key(today)
    path = folder / "clinic.db"
    if path.exists():
        return path, None
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / "building.db"
    partial.unlink(missing_ok=True)
    t0 = time.perf_counter()
    build(partial, today)
    partial.rename(path)
    return path, time.perf_counter() - t0


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if not found:
        raise RuntimeError("no csrf_token on /login")
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str) -> None:
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in of {username} failed: {answer.status_code}")


@dataclass
class Timing:
    path: str
    median_ms: float
    p95_ms: float
    best_ms: float
    html_bytes: int
    cpu_ms: float = 0.0
    profile: str = ""
    parts: dict[str, float] | None = None


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def time_page(client: TestClient, path: str, repeat: int) -> Timing:
    for _ in range(WARMUP):
        answer = client.get(path)
        if answer.status_code != 200:
            raise RuntimeError(f"GET {path}: {answer.status_code} {answer.text[:300]}")
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        answer = client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        answer.raise_for_status()
    out = Timing(path, statistics.median(times), p95(times), min(times), len(answer.content))
    out.cpu_ms = statistics.median(cpu)
    out.profile, out.parts = profiled(client, path)
    return out


PARTS = {
    "whole page function": ("/web/pages_", None),
    "`previsit.gather_previsit` (the record read for the page)": (
        "services/previsit.py",
        "gather_previsit",
    ),
    "· `record.timeline` (the whole record, 10 years)": ("services/record.py", "timeline"),
    "· `previsit._analysis` (the single-person analysis)": ("services/previsit.py", "_analysis"),
    "· `previsit._options` (treatment options)": ("services/previsit.py", "_options"),
    "`pages_insight.options_for` (treatment options again)": (
        "web/pages_insight.py",
        "options_for",
    ),
    "`pages_insight.today_for` (today's list: `plan.today_list`)": (
        "web/pages_insight.py",
        "today_for",
    ),
    "· `tracking.detect_flares` (reads assessments and the whole diary again)": (
        "services/tracking.py",
        "detect_flares",
    ),
    "`clinic_list.list_patients`": ("services/clinic_list.py", "list_patients"),
    "`page_charts.page_charts` (chart specs, cached Vega compile)": (
        "reports/page_charts.py",
        "page_charts",
    ),
    "`templating.render` (Jinja)": ("web/templating.py", "render"),
}
"""Functions whose cumulative time of one profiled request the docs list (where the time goes)."""


def parts_of(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative milliseconds of each of ``PARTS`` in ``stats`` (missing parts are left out)."""
    found: dict[str, float] = {}
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    for label, (file_part, name) in PARTS.items():
        for (filename, _line, function), row in table.items():
            if file_part in filename.replace(os.sep, "/") and (
                function == name or (name is None and function in ("clinic", "patient", "me"))
            ):
                found[label] = max(found.get(label, 0.0), row[3] * 1000)
    return found


def profiled(client: TestClient, path: str) -> tuple[str, dict[str, float]]:
    """The top 15 functions by cumulative time of one request's endpoint, and ``PARTS``.

    The pages are plain functions that FastAPI runs in a worker thread, where a profiler
    enabled in this thread sees nothing; the endpoint call is wrapped to profile it there.
    """
    import fastapi.routing

    profiler = cProfile.Profile()
    original = getattr(fastapi.routing, "run_in_threadpool")  # noqa: B009 - not re-exported

    async def in_profiler(func: Any, *args: Any, **kwargs: Any) -> Any:
        def call(*a: Any, **k: Any) -> Any:
            profiler.enable()
            try:
                return func(*a, **k)
            finally:
                profiler.disable()

        return await original(call, *args, **kwargs)

    setattr(fastapi.routing, "run_in_threadpool", in_profiler)  # noqa: B010
    try:
        client.get(path).raise_for_status()
    finally:
        setattr(fastapi.routing, "run_in_threadpool", original)  # noqa: B010
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(15)
    return buffer.getvalue(), parts_of(stats)


@dataclass
class Asset:
    path: str
    raw_bytes: int
    sent_bytes: int
    encoding: str


def references(html: str) -> list[str]:
    """The scripts and stylesheets a page loads: ``<script src>``, ``<link rel=stylesheet>``."""
    scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)
    links = [m.group(0) for m in re.finditer(r"<link\b[^>]*>", html) if "stylesheet" in m.group(0)]
    sheets = [h for tag in links for h in re.findall(r"\bhref=\"([^\"]+)\"", tag)]
    return list(dict.fromkeys([*sheets, *scripts]))


def fetch(client: TestClient, path: str) -> Asset:
    """One file as a browser gets it: gzip accepted; transferred = the body bytes on the wire."""
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as answer:
        answer.raise_for_status()
        raw = len(answer.read())
        return Asset(
            path,
            raw,
            answer.num_bytes_downloaded,
            answer.headers.get("content-encoding", "identity"),
        )


def page_weight(client: TestClient, path: str) -> list[Asset]:
    page = fetch(client, path)
    html = client.get(path).text
    return [page, *(fetch(client, ref) for ref in references(html))]


@contextmanager
def clients(url: str, tmp: Path) -> Iterator[dict[str, TestClient]]:
    app = create_app(settings_for(url, tmp), database_url=url)
    made = {"clinician": TestClient(app), "patient": TestClient(app)}
    try:
        sign_in(made["clinician"], *CLINICIAN)
        sign_in(made["patient"], *PATIENT_USER)
        yield made
    finally:
        for c in made.values():
            c.close()


def measure(repeat: int) -> dict[str, Any]:
    today = dt.datetime.now().astimezone().date()
    cached, built_s = clinic_file(today)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        path = tmp / "clinic.db"
        shutil.copy(cached, path)  # the pages audit their reads: the cache stays as built
        url = f"sqlite:///{path}"
        with clients(url, tmp) as signed_in:
            timings = {
                label: time_page(signed_in[role], page, repeat)
                for label, (page, role) in PAGES.items()
            }
            weight = page_weight(signed_in["patient"], "/me")
    return {"timings": timings, "weight": weight, "built_s": built_s, "cache": str(cached)}


def render(r: dict[str, Any], repeat: int, load: tuple[float, float]) -> str:
    timings: dict[str, Timing] = r["timings"]
    weight: list[Asset] = r["weight"]
    sent = sum(a.sent_bytes for a in weight) / 1000
    raw = sum(a.raw_bytes for a in weight) / 1000
    worst = max(t.p95_ms for t in timings.values())
    slowest_median = max(t.median_ms for t in timings.values())
    time_verdict = "met" if slowest_median <= GOAL_MS else "not met"
    weight_verdict = "met" if sent <= GOAL_WEIGHT_KB else "not met"
    lines = [
        SECTION,
        "",
        f"Measured {dt.datetime.now(dt.UTC).date().isoformat()} on {os.cpu_count()} CPU cores "
        f"({platform.machine()}, Python {platform.python_version()}; load average "
        f"{load[0]:.1f} at the start and {load[1]:.1f} at the end: other work on the machine "
        "slows these figures) with:",
        "",
        f"    {COMMAND}",
        "",
        f"A SQLite clinic of {PATIENTS:,} demo patients (`seed_clinic(db, {PATIENTS}, seed, "
        f"diary_days={DIARY_DAYS})`) plus one patient with 10 years of daily diary (`T10Y`: "
        "3,650 entries, 40 visits, three medication courses, as in the pre-visit report "
        "benchmark, ending today); a clinician whose care team holds all of them and a patient "
        "user linked to T10Y, each signed in through `/login`. Server time is measured "
        "in-process with a `TestClient` on the real application (the pages' own queries, "
        "rendering and session checks; no network): "
        f"{WARMUP} warm-up requests, then {repeat} timed requests per page. The CPU time is "
        "this process's per request: with other jobs on the machine it is the steadier figure.",
        "",
        f"Goal (issue 10): server time ≤ {GOAL_MS:.0f} ms per page: **{time_verdict}** "
        f"(slowest median {slowest_median:.0f} ms, worst p95 {worst:.0f} ms).",
        "",
        "| Page | Median | p95 | Best | CPU time (median) | HTML size |",
        "|---|---|---|---|---|---|",
    ]
    for label, t in timings.items():
        lines.append(
            f"| `GET {t.path}` ({label}) | {t.median_ms:.0f} ms | {t.p95_ms:.0f} ms | "
            f"{t.best_ms:.0f} ms | {t.cpu_ms:.0f} ms | {t.html_bytes / 1000:,.0f} kB |"
        )
    lines += [
        "",
        "Where the time goes: cumulative time of the main parts in one more request of each page "
        "under cProfile (the profiler adds to every figure; a part marked · runs inside the one "
        "above it; — : not called by that page).",
        "",
        "| Part | " + " | ".join(f"`{t.path}`" for t in timings.values()) + " |",
        "|---|" + "---|" * len(timings),
    ]
    for part in PARTS:
        cells = [(t.parts or {}).get(part) for t in timings.values()]
        if all(c is None for c in cells):
            continue
        shown = " | ".join("—" if c is None else f"{c:,.0f} ms" for c in cells)
        lines.append(f"| {part} | {shown} |")
    slow = [t for t in timings.values() if t.median_ms > GOAL_MS]
    if slow:
        lines += ["", "Over the goal: " + "; ".join(why(t) for t in slow) + "."]
    lines += [
        "",
        f"Page weight of `/me` (the HTML and every script and stylesheet it references, fetched "
        f"with `Accept-Encoding: gzip`): {sent:,.0f} kB transferred ({raw:,.0f} kB "
        f"uncompressed). Goal ≤ {GOAL_WEIGHT_KB:.0f} kB: **{weight_verdict}**.",
        "",
        "| File | Uncompressed | Transferred | Encoding |",
        "|---|---|---|---|",
    ]
    for a in weight:
        lines.append(
            f"| `{a.path}` | {a.raw_bytes / 1000:,.1f} kB | {a.sent_bytes / 1000:,.1f} kB | "
            f"{a.encoding} |"
        )
    lines.append(f"| total | {raw:,.1f} kB | {sent:,.1f} kB | |")
    return "\n".join([*lines, ""])


def why(t: Timing) -> str:
    """The page and its two costliest top-level parts (outside the page function itself)."""
    parts = sorted(
        (
            (ms, part)
            for part, ms in (t.parts or {}).items()
            if part != "whole page function" and not part.startswith("·")
        ),
        reverse=True,
    )
    named = " and ".join(f"{part} ({ms:,.0f} ms profiled)" for ms, part in parts[:2])
    return f"`{t.path}` ({t.cpu_ms:.0f} ms of CPU per request) spends most in {named}"


def write_section(text: str, path: Path = DOC) -> None:
    """Replace (or append) this benchmark's section; other sections are left as they are."""
    docs_section.replace_section(path, SECTION, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="print each page's cProfile top 15")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    load_start = os.getloadavg()[0]
    results = measure(args.repeat)
    if results["built_s"] is not None:
        sys.stderr.write(f"built the clinic in {results['built_s']:.0f} s\n")
    sys.stderr.write(f"clinic cache: {results['cache']}\n")
    for label, t in results["timings"].items():
        if args.profile:
            print(f"--- profile of one GET {t.path} ({label}) ---")
            print(t.profile)
    text = render(results, args.repeat, (load_start, os.getloadavg()[0]))
    print(text)
    if args.write_docs:
        write_section(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
