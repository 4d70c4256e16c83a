"""The clinician's pages in-process: the clinic list, a patient's course with charts and table
fallbacks holding the database's numbers, the visit page (scores before saving, CRP once), the
report; a clinician sees only the care team, a patient none of it."""

from __future__ import annotations

import re

from immunospine.services import database, previsit
from tests.web.conftest import Site, csrf_of

ASDAS_ITEMS = {
    "asdas_crp.back_pain": "6",
    "asdas_crp.morning_stiffness_duration": "5",
    "asdas_crp.patient_global": "6",
    "asdas_crp.peripheral_pain": "4",
}


def test_clinic_lists_off_target_flares_and_overdue(pages, site: Site) -> None:
    page = pages("clinician").get("/clinic")
    assert page.status_code == 200
    for testid in ("off-target", "recent-flares", "overdue", "everyone"):
        assert f'data-testid="{testid}"' in page.text
    assert f'href="/clinic/patients/{site.patient_id}"' in page.text


def test_patient_page_tables_hold_the_database_numbers(pages, site: Site) -> None:
    page = pages("clinician").get(f"/clinic/patients/{site.patient_id}")
    assert page.status_code == 200
    assert f'data-testid="patient-id">{site.patient_id}<' in page.text
    db = database.open_database(site.url, site.settings, create=False)
    try:
        data = previsit.gather_previsit(db, site.patient_id, actor="test")
    finally:
        db.dispose()
    table = page.text.split('data-testid="table-activity_chart"')[1].split("</table>")[0]
    cells = re.findall(r"<td>([^<]*)</td>", table)
    shown = {(cells[i], cells[i + 2]) for i in range(0, len(cells), 4)}
    stored = {
        (s.on.isoformat(), f"{s.score:.2f}")
        for s in data.scores
        if s.calculator in data.activity_calculators
    }
    assert stored and shown == stored


def test_visit_preview_then_save_with_crp_once(pages, site: Site) -> None:
    client = pages("clinician")
    url = f"/clinic/patients/{site.patient_id}/visit"
    token = csrf_of(client.get(url).text)
    form = {**ASDAS_ITEMS, "crp_mg_l": "10", "on": "2026-12-01", "csrf_token": token}
    preview = client.post(url, data={**form, "action": "preview"})
    assert preview.status_code == 200 and "3.36" in preview.text  # Lukas 2009 example: 3.3564
    saved = client.post(url, data={**form, "action": "save"})
    assert saved.status_code == 200, saved.text[-1500:]
    assert 'data-testid="saved-asdas_crp"' in saved.text and "3.36" in saved.text
    assert "Change since the last visit" in saved.text


def test_visit_with_an_incomplete_instrument_saves_nothing(pages, site: Site) -> None:
    client = pages("clinician")
    url = f"/clinic/patients/{site.patient_id}/visit"
    token = csrf_of(client.get(url).text)
    items = {**ASDAS_ITEMS, "asdas_crp.peripheral_pain": ""}
    answer = client.post(
        url, data={**items, "crp_mg_l": "-3", "action": "save", "csrf_token": token}
    )
    assert answer.status_code == 422
    assert "Nothing was saved" in answer.text and 'value="-3"' in answer.text


def test_outside_the_care_team_is_not_found(pages, site: Site) -> None:
    assert pages("clinician").get("/clinic/patients/nobody-here").status_code == 404
    assert pages("patient").get(f"/clinic/patients/{site.patient_id}").status_code == 403
    assert pages(None).get("/clinic", follow_redirects=False).status_code == 303


def test_clinician_report_pdf(pages, site: Site) -> None:
    answer = pages("clinician").get(f"/clinic/patients/{site.patient_id}/report.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")


def test_recent_flares_are_the_diary_flares(pages, site: Site) -> None:
    patient = pages("patient")
    token = csrf_of(patient.get("/me/diary").text)
    assert patient.post(
        "/me/diary", data={"pain_nrs": "8", "flare": "on", "csrf_token": token},
        follow_redirects=False,
    ).status_code == 303  # fmt: skip
    page = pages("clinician").get("/clinic").text
    flares = page.split('data-testid="recent-flares"')[1].split("</table>")[0]
    assert f">{site.patient_id}<" in flares
