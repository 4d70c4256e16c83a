"""Plain-text views of the patient record for the terminal: visits, lists, timelines, tracking.

Rendering only: every function takes values a service returned (records, or the JSON-ready
``to_dict()`` of a service result) and returns text. Scores are shown to two decimals here and
only here; services keep them exact. Values read as a clinician writes them ("CRP 12 mg/L",
"adalimumab 40 mg every 14 days", "flare: yes"), never as Python reprs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from immunospine.records import (
    Assessment,
    DiaryEntry,
    ImagingFinding,
    Intervention,
    LabResult,
    MedicationCourse,
    TimelineEntry,
)

__all__ = [
    "entry_text",
    "render_due",
    "render_flares",
    "render_patient_list",
    "render_response",
    "render_timeline",
    "render_visit",
]

LAB_NAMES = {"crp": "CRP", "esr": "ESR", "hla_b27": "HLA-B27", "rf": "RF", "anti_ccp": "anti-CCP"}
RESPONSE_NAMES = {
    "asdas_response": "ASDAS change",
    "asas20": "ASAS20",
    "asas40": "ASAS40",
    "asas_5of6": "ASAS 5/6",
    "basdai50": "BASDAI50",
    "eular_response": "EULAR response",
}
STATUS_WORDS = {"on_target": "on target", "off_target": "OFF TARGET", "no_data": "no score yet"}


def number(value: float | None, places: int = 2) -> str:
    """A number without float noise: ``12`` stays ``12``, ``3.3561`` becomes ``3.36``."""
    if value is None:
        return "-"
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def yes_no(value: bool | None) -> str:
    return "not recorded" if value is None else ("yes" if value else "no")


def _score(score: float | None, category: str | None) -> str:
    shown = number(score)
    return f"{shown} ({category.replace('_', ' ')})" if category else shown


def lab_text(lab: LabResult) -> str:
    name = LAB_NAMES.get(lab.test.value, lab.test.value)
    if lab.value is None:
        return f"{name} {'positive' if lab.positive else 'negative'}"
    flag = " (abnormal)" if lab.abnormal else ""
    return f"{name} {number(lab.value)} {lab.unit or ''}".rstrip() + flag


def medication_text(course: MedicationCourse) -> str:
    dose = f" {number(course.dose)} {course.dose_unit}" if course.dose is not None else ""
    freq = f" {course.frequency}" if course.frequency else ""
    text = f"{course.drug}{dose}{freq} ({course.drug_class.value.replace('_', ' ')})"
    if course.stopped_on is not None:
        reason = f", {course.stop_reason.value.replace('_', ' ')}" if course.stop_reason else ""
        text += f"; stopped {course.stopped_on.isoformat()}{reason}"
    return text


def diary_text(entry: DiaryEntry) -> str:
    parts = [entry.recorded_at.strftime("%H:%M")]
    for label, value, unit in (
        ("pain", entry.pain_nrs, "/10"),
        ("stiffness", entry.morning_stiffness_min, " min"),
        ("fatigue", entry.fatigue_nrs, "/10"),
        ("sleep", entry.sleep_hours, " h"),
        ("sleep quality", entry.sleep_quality_nrs, "/10"),
        ("stress", entry.stress_nrs, "/10"),
    ):
        if value is not None:
            parts.append(f"{label} {number(value)}{unit}")
    parts.append(f"flare: {yes_no(entry.flare)}")
    if entry.note:
        parts.append(f"“{entry.note}”")
    return ", ".join(parts)


def imaging_text(f: ImagingFinding) -> str:
    if f.modality.value == "radiograph_sij":
        return f"SIJ radiograph: grade left {f.grade_left}, right {f.grade_right}"
    return (
        f"SIJ MRI: active sacroiliitis {yes_no(f.active_sacroiliitis)}, "
        f"structural lesions {yes_no(f.structural_lesions)}"
    )


def intervention_text(i: Intervention) -> str:
    text = i.kind.value.replace("_", " ")
    if i.activity:
        text += f": {i.activity}"
    if i.duration_min is not None:
        text += f", {i.duration_min} min"
    return text


def entry_text(entry: TimelineEntry) -> str:
    """One timeline entry as a clinician reads it."""
    r = entry.record
    match r:
        case Assessment():
            if r.score is None and r.result.get("verdict") is not None:
                return f"{r.calculator}: {str(r.result['verdict']).replace('_', ' ')}"
            return f"{r.calculator} {_score(r.score, r.category)}"
        case LabResult():
            return lab_text(r)
        case MedicationCourse():
            return medication_text(r)
        case ImagingFinding():
            return imaging_text(r)
        case Intervention():
            return intervention_text(r)
        case DiaryEntry():
            return diary_text(r)


def render_timeline(
    patient: Mapping[str, Any], entries: Sequence[TimelineEntry], *, since: str | None = None
) -> str:
    dx = ", ".join(f"{d['condition']} (since {d['diagnosed_on']})" for d in patient["diagnoses"])
    head = f"{patient['patient_id']}  born {patient['year_of_birth']}  {patient['sex']}  "
    lines = [head + (dx or "no diagnosis")]
    if not entries:
        lines.append("no entries" + (f" since {since}" if since else ""))
    kind_width = max((len(e.kind) for e in entries), default=0)
    lines += [
        f"{e.on.isoformat()}  {e.kind.replace('_', ' '):<{kind_width}}  {entry_text(e)}"
        for e in entries
    ]
    return "\n".join(lines)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    rows = [list(header), *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def render_patient_list(listing: Mapping[str, Any]) -> str:
    """The ``PatientList.to_dict()`` as a table with a header row, then what was left out."""
    rows = []
    for p in listing["patients"]:
        score = "-"
        if p["score"] is not None:
            score = f"{p['calculator']} {number(p['score'])}"
        on = p["assessed_on"] or "-"
        if p["stale"]:
            on += " (stale)"
        status = STATUS_WORDS.get(p["status"], "no target") if p["target"] else "no target"
        rows.append(
            [
                p["patient_id"],
                ",".join(p["conditions"]) or "-",
                score,
                on,
                f"{status} ({p['target']})" if p["target"] else status,
                ",".join(p["due"]) or "-",
                p["last_flare_on"] or "-",
            ]
        )
    header = ["patient", "diagnoses", "latest score", "date", "target", "due", "last flare"]
    lines = _table(header, rows)
    shown, matched = len(listing["patients"]), listing["matched"]
    if listing["left_out"]:
        lines.append(
            f"showing {shown} of {matched} matching patients; {listing['left_out']} left out "
            "(--limit N to see more, --json for all)"
        )
    else:
        lines.append(f"{matched} of {listing['total_patients']} patients listed")
    return "\n".join(lines)


def _response_line(name: str, result: Mapping[str, Any]) -> str:
    label = RESPONSE_NAMES.get(name, name)
    verdict = result.get("verdict")
    if name in ("asdas_response", "eular_response") or verdict is None:
        shown = result.get("category") or verdict or number(result.get("score"))
        return f"{label}: {str(shown).replace('_', ' ')}"
    met = {"met": "met", "not_met": "not met"}.get(str(verdict), str(verdict).replace("_", " "))
    return f"{label}: {met}"


def render_response(report: Mapping[str, Any], *, why_not: bool = True) -> str:
    """A ``ResponseReport.to_dict()``: each outcome, then what could not be computed (with the
    missing inputs when ``why_not``, else one line naming them)."""
    lines = [f"change from {report['baseline_on']} to {report['follow_up_on']}"]
    for name, result in report["results"].items():
        lines.append("  " + _response_line(name, result))
    if not report["results"]:
        lines.append("  no response definition has its inputs at both visits")
    skipped = report["not_computed"]
    if why_not:
        for name, why in skipped.items():
            lines.append(f"  {RESPONSE_NAMES.get(name, name)}: not computed ({why})")
    elif skipped:
        names = ", ".join(RESPONSE_NAMES.get(n, n) for n in skipped)
        lines.append(f"  not computed (inputs missing at one of the visits): {names}")
    return "\n".join(lines)


def render_targets(targets: Sequence[Mapping[str, Any]]) -> list[str]:
    if not targets:
        return ["treat to target: no target applies (no axSpA or RA diagnosis)"]
    out = []
    for t in targets:
        score = (
            f", {t['calculator']} {number(t['score'])} on {t['assessed_on']}"
            if t["score"] is not None
            else ""
        )
        out.append(f"treat to target ({t['target']}): {STATUS_WORDS[t['status']]}{score}")
    return out


def render_visit(visit: Mapping[str, Any]) -> str:
    """A ``VisitResult.to_dict()``: what was stored, the change since last time, the target."""
    lines = [f"visit of {visit['patient_id']} on {visit['on']} recorded"]
    for lab in visit["labs"]:
        name = LAB_NAMES.get(lab["test"], lab["test"])
        if lab["value"] is None:
            lines.append(f"  {name} {'positive' if lab.get('positive') else 'negative'}")
        else:
            flag = " (abnormal)" if lab.get("abnormal") else ""
            lines.append(f"  {name} {number(lab['value'])} {lab['unit']}{flag}")
    for name, s in visit["scores"].items():
        shown = _score(s["score"], s["category"]) if s["score"] is not None else str(s["verdict"])
        lines.append(f"  {name} {shown}")
    if visit["change"] is None:
        lines.append("first recorded visit: no change to compare")
    else:
        change = render_response(visit["change"], why_not=False)
        lines.append(change.replace("change from", "change since the previous visit,"))
    lines += render_targets(visit["targets"])
    return "\n".join(lines)


def render_flares(patient_id: str, flares: Sequence[Mapping[str, Any]]) -> str:
    if not flares:
        return f"{patient_id}: no flares recorded"
    kinds = {
        "asdas_worsening": "ASDAS worsening",
        "patient_marked": "marked by the patient",
        "basdai_crossed_4": "BASDAI crossed 4",
    }
    rows = [[f["on"], kinds.get(f["kind"], f["kind"]), f["detail"]] for f in flares]
    return "\n".join(_table(["date", "flare", "detail"], rows))


def render_due(patient_id: str, due: Sequence[Mapping[str, Any]], today: str) -> str:
    if not due:
        return f"{patient_id}: no questionnaire due on {today}"
    rows = [[d["questionnaire"], d["last_on"] or "never", d["due_on"]] for d in due]
    return "\n".join(_table(["questionnaire", "last done", "due on"], rows))
