"""immunospine: decision support for chronic back pain that may have an autoimmune cause.

Public API. Names listed in ``__all__`` follow semantic versioning; everything else may change.
Only the errors are imported with the package; the calculators, batch scoring and triage are
imported on first use (``immunospine.calculate`` …), so ``import immunospine`` stays cheap and no
module inside the package needs the package itself (no import cycle with ``services``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from immunospine.errors import (
    CohortError,
    FhirError,
    ImmunospineError,
    InputError,
    KnowledgeError,
    NotFound,
    StorageError,
)
from immunospine.version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from immunospine.knowledge import Result, Verdict, calculate, catalogue, get_calculator
    from immunospine.services.batch import calculate_batch
    from immunospine.services.triage import triage

__all__ = [
    "CohortError",
    "FhirError",
    "ImmunospineError",
    "InputError",
    "KnowledgeError",
    "NotFound",
    "Result",
    "StorageError",
    "Verdict",
    "__version__",
    "calculate",
    "calculate_batch",
    "catalogue",
    "get_calculator",
    "triage",
]

_LAZY = {
    "Result": "immunospine.knowledge",
    "Verdict": "immunospine.knowledge",
    "calculate": "immunospine.knowledge",
    "catalogue": "immunospine.knowledge",
    "get_calculator": "immunospine.knowledge",
    "calculate_batch": "immunospine.services.batch",
    "triage": "immunospine.services.triage",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'immunospine' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
