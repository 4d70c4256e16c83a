"""Page sessions: cookie flags, sign-out ends the session on the server, idle and absolute
expiry, a disabled account is signed out, no open redirect after signing in, CSRF on sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from immunospine.api import create_app
from immunospine.services import accounts, database, web_sessions
from immunospine.storage.tables import WebSessionRow
from tests.web.conftest import Site, TestClient, csrf_of, sign_in


def test_cookie_is_httponly_lax_and_holds_no_user_data(site: Site) -> None:
    client = TestClient(create_app(site.settings, database_url=site.url))
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"username": site.logins["patient"][0], "password": site.logins["patient"][1],
              "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )  # fmt: skip
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert site.logins["patient"][0] not in cookie
    assert answer.headers["location"] == "/me"


def test_sign_out_ends_the_session_on_the_server(site: Site) -> None:
    client = TestClient(create_app(site.settings, database_url=site.url))
    sign_in(client, *site.logins["clinician"])
    stolen = client.cookies.get("immunospine_session")
    token = csrf_of(client.get("/clinic").text)
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    again = TestClient(create_app(site.settings, database_url=site.url))
    again.cookies.set("immunospine_session", stolen)
    assert again.get("/clinic", follow_redirects=False).status_code == 303  # to /login


def _age_session(site: Site, token: str, **times: datetime) -> None:
    db = database.open_database(site.url, site.settings, create=False)
    try:
        with db.transaction() as uow:
            uow.session.execute(
                update(WebSessionRow)
                .where(WebSessionRow.token_sha256 == web_sessions._hash(token))
                .values(**times)
            )
    finally:
        db.dispose()


def test_idle_and_absolute_expiry(site: Site) -> None:
    app = create_app(site.settings, database_url=site.url)
    for times in (
        {"last_seen_at": datetime.now(UTC) - timedelta(hours=2)},  # idle 2 h > 30 min
        {"expires_at": datetime.now(UTC) - timedelta(seconds=1)},  # past the absolute limit
    ):
        client = TestClient(app)
        sign_in(client, *site.logins["patient"])
        assert client.get("/me").status_code == 200
        _age_session(site, client.cookies.get("immunospine_session"), **times)
        assert client.get("/me", follow_redirects=False).headers["location"] == "/login?next=/me"


def test_a_disabled_account_is_signed_out(site: Site) -> None:
    db = database.open_database(site.url, site.settings, create=False)
    try:
        accounts.add_user(db, "soon-off", "a long password 12", "admin", actor="t",
                          settings=site.settings)  # fmt: skip
        client = TestClient(create_app(site.settings, database_url=site.url))
        sign_in(client, "soon-off", "a long password 12")
        assert client.get("/admin/users").status_code == 200
        accounts.set_disabled(db, "soon-off", True, actor="t")
        assert client.get("/admin/users", follow_redirects=False).status_code == 303
    finally:
        db.dispose()


def test_no_open_redirect_and_csrf_on_sign_in(site: Site) -> None:
    client = TestClient(create_app(site.settings, database_url=site.url))
    token = csrf_of(client.get("/login").text)
    user, password = site.logins["patient"]
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil"):
        answer = client.post(
            "/login",
            data={"username": user, "password": password, "csrf_token": token, "next": target},
            follow_redirects=False,
        )
        assert answer.status_code == 303, (target, answer.status_code, answer.text[-300:])
        assert answer.headers["location"] == "/me"
    fresh = TestClient(create_app(site.settings, database_url=site.url))
    refused = fresh.post("/login", data={"username": user, "password": password})
    assert refused.status_code == 403


def test_pages_send_a_strict_content_security_policy(pages) -> None:
    answer = pages(None).get("/login")
    csp = answer.headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    )


def test_an_unexpected_error_on_a_page_is_a_page_without_a_traceback(site: Site) -> None:
    app = create_app(site.settings, database_url=site.url)

    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", boom)
    answer = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert answer.status_code == 500 and answer.headers["content-type"].startswith("text/html")
    assert "Something went wrong" in answer.text and "secret" not in answer.text
