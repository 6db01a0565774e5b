"""The ``serve`` command in a subprocess, and (when Chromium exists) a real browser render."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_CORPUS, MODERN
from swhttp import fetch

REPO = Path(__file__).resolve().parents[2]


def test_serve_prints_base_url_and_sites_then_serves():
    cmd = [
        sys.executable,
        "-c",
        "from tangguh.sampleweb.cli import app; app()",
        "serve",
        "--port",
        "0",
        "--corpus",
        str(FIXTURE_CORPUS),
    ]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:")
        lines = [proc.stdout.readline().strip() for _ in range(3)]
        assert any(MODERN in line for line in lines)
        assert fetch(base + "/").status == 200
        port = base.rsplit(":", 1)[1]
        assert fetch(f"http://{MODERN}:{port}/").status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cli_help_documents_options():
    from typer.testing import CliRunner

    from tangguh.sampleweb.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--scale", "--seed", "--corpus"):
        assert option in result.output


CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)),
    shutil.which("chromium"),
)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (/usr/bin/chromium)")
def test_pages_render_in_headless_chromium(web, tmp_path):
    post = next(r for r in web.manifest() if r.kind == "post" and r.site == MODERN)
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path}",
            f"--host-resolver-rules={web.resolver_rules()}",
            "--dump-dom",
            post.url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert post.title in result.stdout and "post-body" in result.stdout
