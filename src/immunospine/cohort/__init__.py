"""Population case-finding over OMOP CDM 5.4 data, in three parts that do not import each other.

**The screening engine** (this package's modules) finds undiagnosed persons with chronic back pain
and ranks them by the axSpA likelihood-ratio model of ``immunospine.knowledge``:

- ``concepts``: the shipped concept sets (TOML) and the lab rules;
- ``omop_schema``: the OMOP tables and columns, their kinds and Arrow schemas;
- ``params``: what a screen filters on (``ScreenConcepts``) and its knobs (``ScreenParams``);
- ``features`` → ``scoring`` → ``plan``: the query as Ibis expressions, printable as SQL;
- ``backends``: DuckDB, PostgreSQL, Spark behind one Protocol;
- ``runner``: the only executor of a plan; returns a ``ScreenSummary`` (values, no text).

**The synthetic generator** (``cohort.synthetic``) writes a calibrated OMOP population with a hidden
truth per person; **the worklist evaluation** (``cohort.evaluation``) scores a worklist against
such a truth. Both share only ``concepts`` and ``omop_schema`` with the engine. Rendering for people
lives in ``immunospine.reports.cohort``.

Submodules load on first use (``immunospine.cohort.plan`` or ``from immunospine.cohort import
plan``), so importing this package imports no dataframe library.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = [
    "backends",
    "concepts",
    "evaluation",
    "features",
    "omop_schema",
    "params",
    "plan",
    "runner",
    "scoring",
    "synthetic",
]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
