"""Plain-text report of ``immunospine cohort concepts`` (from ``services.cohort_concepts``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["concepts_text"]


def _header(d: Mapping[str, Any]) -> list[str]:
    if d["source"] == "vocabulary":
        how = "codes resolved through its concept table"
        how += (
            "; 'Maps to' through concept_relationship"
            if d["maps_to"]
            else "; no concept_relationship table, so non-standard codes stay unmapped"
        )
    else:
        how = (
            "NO concept table: the shipped standard ids are used; concepts without a shipped id "
            "cannot be matched"
        )
    how += (
        "; descendants through concept_ancestor"
        if d["descendants"]
        else "; no concept_ancestor table: no descendants"
    )
    return [f"Concept sets in {d['data']}", f"({how})"]


def _code_line(c: Mapping[str, Any]) -> str:
    label = (
        f"{c['vocabulary']} {c['code']}" if c["code"] else f"{c['vocabulary']} id {c['shipped_id']}"
    )
    head = f"  {'excl' if c['exclude'] else '':<4} {label:<28} {c['name'][:44]:<44}"
    if not c["resolved"]:
        return f"{head}  NOT RESOLVED: {c['status_text']}"
    ids = ", ".join(str(i) for i in c["concept_ids"][:3]) + (
        " …" if len(c["concept_ids"]) > 3 else ""
    )
    more = f" +{c['descendants']} desc." if c["descendants"] else ""
    records = "" if c["records"] is None else f"  {c['records']:>9,} records"
    note = f"  [{c['note']}]" if c["note"] else ""
    return f"{head}  -> {ids}{more}{records}{note}"


def concepts_text(d: Mapping[str, Any]) -> str:
    """Per set: each concept resolved or not (why), its ids and records; then a summary line."""
    lines = _header(d)
    for s in d["sets"]:
        lines += ["", f"{s['name']}: {s['title']} ({s['table']}.{s['column']})"]
        lines += [_code_line(c) for c in s["codes"]]
        lines.append(
            f"  = {s['resolved']} of {s['concepts']} concepts resolved; "
            f"{s['concept_ids']:,} concept ids; {s['records']:,} records"
            + ("" if s["concept_ids"] else "  (this set matches nothing here)")
        )
    lines += [
        "",
        "A concept that does not resolve cannot match any record here; a site adds its own codes "
        "to the set files (docs/case-finding.md, 'Concept sets').",
    ]
    return "\n".join(lines)
