"""HTTP API throughput: ``POST /api/v1/calculators/asdas_crp`` under ``wrk`` on loopback.

    .venv/bin/python benchmarks/bench_api.py [--seconds 15] [--rounds 3] [--write-docs]

Two servers, each with one uvicorn worker, measured in turns (a, b, a, b, …) with
``wrk -t1 -c16 -dNs --latency``: (a) ``immunospine serve`` (validation, error envelope, body
guards, security headers) and (b) the floor, ``benchmarks/api_floor.py`` (the same formula from
the same JSON, no validation) under ``uvicorn`` with the same settings. Goal (issue 9): (a) at
least 0.8 × (b) requests per second and p99 at most 1.25 × (b). Needs ``wrk`` (Debian package).
``--write-docs`` replaces the "HTTP API" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import docs_section

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## HTTP API"
COMMAND = ".venv/bin/python benchmarks/bench_api.py --write-docs"
BIN = Path(sys.executable).parent
PATH = "/api/v1/calculators/asdas_crp"
BODY = {
    "back_pain": 6,
    "morning_stiffness_duration": 5,
    "patient_global": 7,
    "peripheral_pain": 3,
    "crp_mg_l": 12,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def servers(port: int) -> dict[str, list[str]]:
    return {
        "immunospine serve (1 worker)": [
            str(BIN / "immunospine"), "serve", "--port", str(port), "--workers", "1",
        ],
        "floor: benchmarks/api_floor.py (uvicorn, 1 worker)": [
            str(BIN / "uvicorn"), "api_floor:app", "--app-dir", str(ROOT / "benchmarks"),
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--log-level", "info",
        ],
    }  # fmt: skip


def wait_ready(port: int, seconds: float = 30) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{PATH}",
        data=json.dumps(BODY).encode(),
        headers={"content-type": "application/json"},
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 (http only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer on port {port}")


def run_wrk(port: int, seconds: int, script: Path) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}{PATH}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)],  # type: ignore[union-attr]
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def measure(seconds: int, rounds: int) -> dict[str, list[dict[str, float]]]:
    body = json.dumps(BODY).replace('"', '\\"')
    results: dict[str, list[dict[str, float]]] = {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMMUNOSPINE_")}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "post.lua"
        script.write_text(
            f'wrk.method = "POST"\nwrk.body = "{body}"\n'
            'wrk.headers["Content-Type"] = "application/json"\n',
            encoding="utf-8",
        )
        env["XDG_DATA_HOME"] = tmp  # a database that does not exist: the open routes need none
        for _ in range(rounds):
            port = free_port()
            for name, argv in servers(port).items():
                process = subprocess.Popen(
                    argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )  # fmt: skip
                try:
                    wait_ready(port)
                    run_wrk(port, 2, script)  # warm-up
                    results.setdefault(name, []).append(run_wrk(port, seconds, script))
                finally:
                    os.killpg(process.pid, signal.SIGINT)
                    process.wait(timeout=30)
    return results


def render(
    results: dict[str, list[dict[str, float]]], seconds: int, load: tuple[float, float]
) -> str:
    (ours, ours_runs), (floor, _floor_runs) = results.items()
    med = {
        name: {k: statistics.median(r[k] for r in runs) for k in ("rps", "p99_ms", "non_2xx")}
        for name, runs in results.items()
    }
    ratio_rps = med[ours]["rps"] / med[floor]["rps"]
    ratio_p99 = med[ours]["p99_ms"] / med[floor]["p99_ms"]
    verdict = "met" if ratio_rps >= 0.8 and ratio_p99 <= 1.25 else "not met"
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
        f"`wrk -t1 -c16 -d{seconds}s --latency` on loopback, `POST {PATH}` with the same JSON "
        f"body each time, against two servers with one uvicorn worker each, measured in turns "
        f"({len(ours_runs)} runs each, medians shown): immunospine (validation, the error "
        "envelope, body guards, security headers; uvicorn's access log on, as `serve` runs it) "
        "and the floor (`benchmarks/api_floor.py`: the same formula from the same JSON, no "
        "validation, the same uvicorn settings). wrk and the server share the machine's cores. "
        "Goal: immunospine ≥ 0.8 × the floor's requests per second and p99 ≤ 1.25 × the "
        f"floor's: **{verdict}** ({ratio_rps:.2f} × the requests per second, "
        f"{ratio_p99:.2f} × the p99).",
        "",
        "| Server | Requests/s | p99 latency | Non-2xx answers | Runs (req/s) |",
        "|---|---|---|---|---|",
    ]
    for name, runs in results.items():
        m = med[name]
        each = ", ".join(f"{r['rps']:,.0f}" for r in runs)
        lines.append(
            f"| {name} | {m['rps']:,.0f} | {m['p99_ms']:.1f} ms | {m['non_2xx']:.0f} | {each} |"
        )
    return "\n".join([*lines, ""])


def write_section(text: str, path: Path = DOC) -> None:
    """Replace (or append) the ``## HTTP API`` section; other sections are left as they are."""
    docs_section.replace_section(path, SECTION, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.stderr.write("bench_api needs wrk: apt-get install wrk\n")
        return 1
    load_start = os.getloadavg()[0]
    results = measure(args.seconds, args.rounds)
    text = render(results, args.seconds, (load_start, os.getloadavg()[0]))
    sys.stdout.write(text)
    if args.write_docs:
        write_section(text)
        sys.stdout.write(f"\nwrote the '{SECTION}' section of {DOC.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
