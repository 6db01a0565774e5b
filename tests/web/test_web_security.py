"""What keeps the web page safe: headers, the token, no writes, sandboxed snapshots."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from webcorpus import ENCODER_DIM, POST

from search.encoder import HashingEncoder
from tangguh.cmd_serve import check_exposure
from tangguh.errors import UserError

ROUTES = ["/", "/search?q=lumbung", "/timeline?q=posko", "/export.csv?q=x", "/export.jsonl",
          f"/doc?url={POST}", "/judging", "/judging/1", "/judging/1/blind",
          "/judging/1/report.csv", "/ops", "/api/search?q=posko", f"/api/doc?url={POST}",
          "/api/timeline", "/login", "/static/app.css"]  # fmt: skip


def _tables_digest(db_url: str) -> str:
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    digest = hashlib.sha256()
    for line in conn.iterdump():
        digest.update(line.encode())
    conn.close()
    return digest.hexdigest()


def test_every_page_has_a_strict_csp_and_no_route_writes(client, corpus):
    before = _tables_digest(corpus[0])
    for route in ROUTES:
        r = client.get(route)
        assert r.status_code in (200, 404), route
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp, route
        assert "unsafe-inline" not in csp and r.headers["x-content-type-options"] == "nosniff"
    assert client.post("/search").status_code == 405
    assert _tables_digest(corpus[0]) == before


def test_snapshots_are_sandboxed(tmp_path):
    from starlette.testclient import TestClient

    from store import repo
    from store.db import open_database
    from tangguh.web.app import create_app

    db = open_database(f"sqlite:///{tmp_path / 's.db'}")
    body = b"<html><script>parent.__pwned=1</script><p>isi</p></html>"
    with db.write() as session:
        digest = repo.save_snapshot(
            session, "https://x.example/", body, headers={"Content-Type": "text/html"}
        )
    app = create_app(db, tmp_path / "none.index")
    with TestClient(app) as c:
        r = c.get(f"/snapshot/{digest}")
        assert r.content == body
        assert r.headers["content-security-policy"].startswith("sandbox")
        assert "script-src" not in r.headers["content-security-policy"]
        assert c.get(f"/snapshot/{digest}?raw=1").headers["content-type"].startswith("text/plain")
        assert c.get("/snapshot/not-a-digest").status_code == 404
        assert c.get("/snapshot/" + "0" * 64).status_code == 404
        # No index yet: the search page says how to build one, the API answers 503.
        page = c.get("/search", params={"q": "posko"})
        assert page.status_code == 200 and "tangguh index" in page.text
        assert c.get("/api/search", params={"q": "posko"}).status_code == 503


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org"])
def test_a_reachable_host_needs_a_token(host):
    with pytest.raises(UserError):
        check_exposure(host, None)
    check_exposure(host, "rahasia")
    for loopback in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        check_exposure(loopback, None)


def test_serve_refuses_to_start_exposed_without_a_token(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from tangguh.cli import app

    monkeypatch.delenv("TANGGUH_TOKEN", raising=False)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = CliRunner().invoke(app, ["--db", db, "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--token" in result.output
    assert "Traceback" not in result.output


def test_token_by_header_or_login_cookie(corpus):
    from starlette.testclient import TestClient

    from store.db import open_database
    from tangguh.web.app import create_app

    db_url, index_dir = corpus
    app = create_app(
        open_database(db_url), index_dir, token="rahasia", encoder=HashingEncoder(ENCODER_DIM)
    )
    with TestClient(app, follow_redirects=False) as c:
        r = c.get("/search?q=posko")
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        assert c.get("/api/search?q=posko").status_code == 401
        assert c.get("/api/search?q=posko", headers={"X-Tangguh-Token": "salah"}).status_code == 401
        ok = c.get("/api/search?q=posko", headers={"Authorization": "Bearer rahasia"})
        assert ok.status_code == 200
        assert c.get("/login").status_code == 200 and c.get("/static/app.css").status_code == 200
        bad = c.post("/login", data={"token": "salah", "next": "/search"})
        assert bad.status_code == 401 and "tangguh_token" not in bad.headers.get("set-cookie", "")
        away = c.post("/login", data={"token": "rahasia", "next": "//evil.example/"})
        assert away.status_code == 303 and away.headers["location"] == "/"
        good = c.post("/login", data={"token": "rahasia", "next": "/judging"})
        assert good.status_code == 303 and good.headers["location"] == "/judging"
        cookie = good.headers["set-cookie"]
        assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
        assert c.get("/judging").status_code == 200  # the client kept the cookie
