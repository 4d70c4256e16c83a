"""immunospine: decision support for chronic back pain that may have an autoimmune cause.

Public API. Names listed in ``__all__`` follow semantic versioning; everything else may change.
Heavier entry points (batch scoring, triage) are imported on first use, so ``import immunospine``
stays cheap.
"""

from __future__ import annotations

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
from immunospine.knowledge import Result, Verdict, calculate, catalogue, get_calculator

if TYPE_CHECKING:  # pragma: no cover
    from immunospine.services.batch import calculate_batch
    from immunospine.services.triage import triage

__version__ = "0.1.0"

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
    "calculate_batch": "immunospine.services.batch",
    "triage": "immunospine.services.triage",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'immunospine' has no attribute {name!r}")
