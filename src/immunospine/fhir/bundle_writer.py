"""Write one Bundle JSON document entry by entry, so a whole clinic never sits in memory.

The output is ONE valid JSON document (a FHIR R4 Bundle), laid out one entry per line::

    {"resourceType": "Bundle", "identifier": {…}, "type": "collection", "timestamp": "…",
     "entry": [
    {"fullUrl": "urn:uuid:…", "resource": {…}},
    {"fullUrl": "urn:uuid:…", "resource": {…}}
    ]}

which ``json.load`` and any FHIR server read as usual, and ``bundle_stream`` reads back in
bounded memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

__all__ = ["write_bundle"]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_bundle(out: TextIO, head: dict[str, Any], entries: Iterable[dict[str, Any]]) -> int:
    """Write ``head``'s members then every entry of ``entries`` to ``out``; returns the count."""
    if "entry" in head:
        raise ValueError("head must not hold the entries")
    members = ", ".join(f"{_dumps(k)}: {_dumps(v)}" for k, v in head.items())
    out.write("{" + members + (", " if members else "") + '"entry": [')
    count = 0
    for entry in entries:
        out.write(("\n" if count == 0 else ",\n") + _dumps(entry))
        count += 1
    out.write("\n]}\n")
    return count
