"""`tangguh fetch`: URL variants of one post collapse to one document; bad lines reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.canonical import canonical_url
from tangguh import crawl
from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow
TANGGUH = str(Path(sys.executable).parent / "tangguh")


def _env() -> dict[str, str]:
    loopback = {k: v for k, v in crawl.LOOPBACK_SETTINGS.items() if k != "TANGGUH_RESOLVE"}
    return dict(
        os.environ,
        TANGGUH_RESOLVE="*.test=127.0.0.1",
        TANGGUH_SCRAPY_SETTINGS=json.dumps(loopback),
    )


def _export(db: str) -> list[dict]:
    out = subprocess.run(
        [TANGGUH, "--db", db, "export"], capture_output=True, text=True, check=True
    ).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_url_variants_collapse_to_one_document(tmp_path):
    with SampleWeb() as web:
        manifest = web.manifest()
        blogger = next(r for r in manifest.of_kind("post") if r.platform == "blogger")
        wordpress = next(r for r in manifest.of_kind("post") if r.platform == "wordpress")
        variants = [
            blogger.url + "?m=1",
            blogger.url,
            blogger.url + "?m=0#comments",
            blogger.url + "?utm_source=facebook&utm_medium=social&fbclid=IwAR0x",
            blogger.url + "?showComment=1593072000000",
            wordpress.url,
            wordpress.url.rstrip("/"),
            wordpress.url + "?replytocom=1#respond",
            wordpress.url + "?utm_campaign=lomba",
        ]
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join([*variants, "bukan url", "ftp://x.test/a"]) + "\n")
        db = f"sqlite:///{tmp_path / 'f.db'}"
        proc = subprocess.run(
            [TANGGUH, "--allow-private", "--db", db, "fetch", "--urls", str(urls)],
            capture_output=True,
            text=True,
            env=_env(),
            timeout=300,
        )
        fetched = [u for m, u, _ in web.request_log if m == "GET" and "robots" not in u]
    assert proc.returncode == 3, proc.stdout + proc.stderr  # the two bad lines
    # Each page once, and Blogger's desktop page even when the form had ?m=1 first.
    assert not any("m=1" in u for u in fetched), fetched
    assert sum(u.split("?")[0] == blogger.url for u in fetched) == 1, fetched
    assert sum(u.split("?")[0] == wordpress.url for u in fetched) == 1, fetched
    assert "urls.txt:10" in proc.stderr and "urls.txt:11" in proc.stderr
    assert "Traceback" not in proc.stderr
    docs = _export(db)
    posts = [d for d in docs if d["kind"] == "post"]
    assert sorted(d["url"] for d in posts) == sorted(
        {canonical_url(blogger.url), canonical_url(wordpress.url)}
    )
    comments = [d for d in docs if d["kind"] == "comment"]
    expected_comments = {
        canonical_url(c.url, kind="comment")
        for post in (blogger, wordpress)
        for c in manifest.comments_of(post.url)
        if c.visible and not c.deleted
    }
    assert {c["url"] for c in comments} == expected_comments
    assert len(comments) == len(expected_comments)
