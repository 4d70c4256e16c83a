"""The admin's page: users and care teams, through the account services; admins only."""

from __future__ import annotations

from tests.web.conftest import Site, csrf_of


def test_admin_adds_a_user_assigns_and_disables(pages, site: Site) -> None:
    client = pages("admin")
    page = client.get("/admin/users")
    assert page.status_code == 200 and "demo-clinician" in page.text
    token = csrf_of(page.text)
    added = client.post(
        "/admin/users",
        data={"username": "dr-new", "role": "clinician", "password": "a long password 1",
              "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert added.status_code == 303
    assigned = client.post(
        "/admin/care-team",
        data={"clinician_username": "dr-new", "patient_id": site.patient_id, "csrf_token": token},
        follow_redirects=False,
    )
    assert assigned.status_code == 303
    listed = client.get("/admin/users").text
    assert "dr-new" in listed and site.patient_id in listed
    off = client.post(
        "/admin/users/dr-new/disabled",
        data={"disabled": "true", "csrf_token": token},
        follow_redirects=False,
    )
    assert off.status_code == 303


def test_bad_user_input_names_the_field_and_keeps_the_form(pages) -> None:
    client = pages("admin")
    token = csrf_of(client.get("/admin/users").text)
    short = client.post(
        "/admin/users",
        data={"username": "x-y-z", "role": "admin", "password": "short", "csrf_token": token},
    )
    assert short.status_code == 422 and "password" in short.text and 'value="x-y-z"' in short.text
    taken = client.post(
        "/admin/users",
        data={"username": "demo-admin", "role": "admin", "password": "a long password 1",
              "csrf_token": token},
    )  # fmt: skip
    assert taken.status_code == 422 and "is taken" in taken.text


def test_only_admins(pages) -> None:
    assert pages("clinician").get("/admin/users").status_code == 403
    assert pages("patient").get("/admin/users").status_code == 403
    assert pages(None).get("/admin/users", follow_redirects=False).status_code == 303
