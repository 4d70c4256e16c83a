"""Understand and Treat on the pages: the analysis pages, the options on the clinician's
patient page and today's list on the patient's home."""

from __future__ import annotations

from tests.web.conftest import Site


def test_patient_trends_page_says_association_not_cause(pages) -> None:
    page = pages("patient").get("/me/trends")
    assert page.status_code == 200
    assert "not proof that one thing causes another" in page.text
    assert (
        'data-testid="statements"' in page.text
        and 'data-vega="spec-associations_chart"' in page.text
    )


def test_clinician_analysis_page_and_options(pages, site: Site) -> None:
    client = pages("clinician")
    analysis = client.get(f"/clinic/patients/{site.patient_id}/analysis")
    assert analysis.status_code == 200 and "Method" in analysis.text
    page = client.get(f"/clinic/patients/{site.patient_id}").text
    assert "Options to discuss" in page and "never a prescription" in page
    assert pages("clinician").get("/clinic/patients/nobody/analysis").status_code == 404


def test_me_lists_today(pages) -> None:
    page = pages("patient").get("/me").text
    assert 'data-testid="today"' in page and "What moved with my pain" in page


def test_patient_b_cannot_read_a_analysis(pages, site: Site) -> None:
    assert pages("patient_b").get(f"/clinic/patients/{site.patient_id}/analysis").status_code == 403
