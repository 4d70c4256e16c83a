"""The synthetic OMOP CDM 5.4 generator: a seeded population with a hidden truth per person.

Apart from the screening engine (``immunospine.cohort``'s ``plan``, ``features``, ``scoring``,
``runner``, ``backends``): the engine never imports this package. It shares only the OMOP table
layout (``cohort.omop_schema``) and the concept sets (``cohort.concepts``) with the engine.

- ``generator``: ``generate`` writes ``DIR/<table>.parquet`` and ``DIR/truth.parquet`` (or
  ``DIR/<table>/part-NNNNN.parquet``, partitioned), light or realistic density;
- ``_background``: the realistic density's EHR background (visits, vitals, labs, other codes);
- ``calibration``: every number the generator draws from, with its source, and
  ``with_overrides`` (a run's parameters replaced by name, e.g. a site's coding habits);
- ``_chunk``, ``_tables``: one chunk of persons as arrays, and its Arrow tables (private here).
"""

from immunospine.cohort.synthetic._chunk import TRUTH_SCHEMA
from immunospine.cohort.synthetic.calibration import CALIBRATION, CalibrationItem
from immunospine.cohort.synthetic.generator import (
    DEFAULT_CHUNK,
    DENSITIES,
    LAYOUTS,
    MAX_PERSONS,
    OUTPUT_TABLES,
    REALISTIC_CHUNK,
    RUN_FILE,
    SYNTHETIC_NOTE,
    GenerationResult,
    generate,
)

__all__ = [
    "CALIBRATION",
    "DEFAULT_CHUNK",
    "DENSITIES",
    "LAYOUTS",
    "MAX_PERSONS",
    "OUTPUT_TABLES",
    "REALISTIC_CHUNK",
    "RUN_FILE",
    "SYNTHETIC_NOTE",
    "TRUTH_SCHEMA",
    "CalibrationItem",
    "GenerationResult",
    "generate",
]
