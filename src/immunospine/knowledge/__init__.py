"""The pure clinical core: instruments, criteria, response and the axSpA probability model.

No I/O, no database, web or dataframe framework: standard library, pydantic and NumPy only.
Every calculator is a versioned, cited ``CalculatorSpec`` reachable through ``calculate``. The
types other packages use (``CalculatorSpec``, ``Bands``, ``Outcome`` …) are exported here; the
``_``-prefixed modules are the core's own.
"""

from immunospine.knowledge._logic import Outcome
from immunospine.knowledge._spec import Band, Bands, CalculatorSpec, Reference
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.registry import calculate, catalogue, get_calculator, validate_inputs

__all__ = [
    "Band",
    "Bands",
    "CalculatorSpec",
    "Outcome",
    "Reference",
    "Result",
    "Verdict",
    "calculate",
    "catalogue",
    "get_calculator",
    "validate_inputs",
]
