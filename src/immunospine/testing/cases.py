"""Load tables of cases (published worked examples, computed and boundary cases) from TOML files.

A case file holds ``[[case]]`` tables::

    [[case]]
    id = "camcops-unit-test"
    source = "clinical.md A1 [S] CamCOPS basdai_tests.py"   # or "constructed: boundary"
    calculator = "basdai"                                    # optional: defaults to the file's stem
    inputs = { q1 = 2, q2 = 10, q3 = 7, q4 = 1, q5 = 9, q6 = 3 }
    expect = { score = 5.2, tolerance = 1e-9, category = "high", verdict = "met" }
    # or, for input that must be refused:
    expect_error = { field = "q2" }

TOML has no null: a case whose inputs need ``null`` gives them as JSON text in ``inputs_json``.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    calculator: str
    inputs: dict[str, Any]
    expect: dict[str, Any] = field(default_factory=dict)
    expect_error: dict[str, Any] | None = None


_ALLOWED = {"id", "source", "calculator", "inputs", "inputs_json", "expect", "expect_error"}


def load_cases(path: Path) -> list[Case]:
    """Every case in one TOML file; unknown keys are errors, as everywhere else."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for raw in data.get("case", []):
        unknown = set(raw) - _ALLOWED
        if unknown:
            raise ValueError(f"{path.name}: case {raw.get('id')!r} has unknown keys {unknown}")
        if "source" not in raw or not raw["source"]:
            raise ValueError(f"{path.name}: case {raw.get('id')!r} must say its source")
        out.append(
            Case(
                id=raw["id"],
                source=raw["source"],
                calculator=raw.get("calculator", path.stem),
                inputs=json.loads(raw["inputs_json"])
                if "inputs_json" in raw
                else raw.get("inputs", {}),
                expect=raw.get("expect", {}),
                expect_error=raw.get("expect_error"),
            )
        )
    return out


def load_case_dir(directory: Path) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.toml")):
        cases.extend(load_cases(path))
    ids = [f"{c.calculator}:{c.id}" for c in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate case ids: {sorted(duplicates)}")
    return cases
