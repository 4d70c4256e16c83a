"""The pure clinical core: instruments, criteria, response and the axSpA probability model.

No I/O, no database, web or dataframe framework: standard library, pydantic and NumPy only.
Every calculator is a versioned, cited ``CalculatorSpec`` reachable through ``calculate``.
"""

from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.registry import calculate, catalogue, get_calculator

__all__ = ["Result", "Verdict", "calculate", "catalogue", "get_calculator"]
