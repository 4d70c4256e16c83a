"""Treatment options as plain text for a person (``immunospine treatment options``,
``immunospine patient options``): options grouped by verdict, each with the recommendation
behind it and who decides; what would change them; when to re-assess; what is not yet checked.
"""

from __future__ import annotations

from typing import Any

from immunospine.reports.wording import NOT_A_DIAGNOSIS

__all__ = ["HEADINGS", "PATHWAY_NAMES", "render_options_text"]

PATHWAY_NAMES = {
    "axspa": "axial spondyloarthritis",
    "ibd_spa": "spondyloarthritis with inflammatory bowel disease",
    "ra": "rheumatoid arthritis",
    "psa": "psoriatic arthritis",
    "nonspecific_low_back_pain": "non-specific low back pain",
    "chronic_primary_pain": "chronic primary pain",
}
HEADINGS = {
    "recommended": "Recommended by the guideline",
    "consider": "To consider",
    "indeterminate": "Depends on what is not known yet",
    "not_recommended": "The guidelines advise against",
}


def render_options_text(answer: dict[str, Any], *, patient_id: str | None = None) -> str:
    """``answer`` (``TreatmentOptions.to_dict()``) as text; ``*`` marks unchecked steps."""
    who = f" for {patient_id}" if patient_id else ""
    name = PATHWAY_NAMES.get(answer["pathway"], answer["pathway"])
    lines = [
        f"Treatment options{who}: {name}",
        "To discuss with your clinician, never a prescription.",
    ]
    unchecked = False
    for verdict, heading in HEADINGS.items():
        group = [o for o in answer["options"] if o["verdict"] == verdict]
        if not group:
            continue
        lines += ["", f"{heading}:"]
        for o in group:
            mark = "" if o["verified"] else " *"
            unchecked = unchecked or not o["verified"]
            lines.append(f"  - {o['label']} [{o['recommendation']}{mark}]: {o['wording']}")
            if o["because"]:
                lines.append(f"      why: {'; '.join(o['because'])}")
            if o["missing"]:
                lines.append(f"      needs: {', '.join(o['missing'])}")
            lines.append(f"      decided with: {o['who_decides']}")
    if answer["would_change"]:
        lines += ["", "What would change the options:"]
        lines += [
            f"  - {c['option']} [{c['recommendation']}]: {c['when']}"
            for c in answer["would_change"]
        ]
    weeks = answer["reassess_after_weeks"]
    lines += ["", f"Target: {answer['target']}."]
    if weeks is not None:
        lines.append(f"Look again in about {weeks} week{'s' if weeks != 1 else ''}.")
    if unchecked:
        lines.append("* not yet checked against a published source (written from memory).")
    lines += ["", "Sources:"] + [f"  - {c}" for c in answer["citation"]]
    lines += ["", answer["disclaimer"]]
    if NOT_A_DIAGNOSIS not in answer["disclaimer"]:
        lines.append(NOT_A_DIAGNOSIS)
    return "\n".join(lines) + "\n"
