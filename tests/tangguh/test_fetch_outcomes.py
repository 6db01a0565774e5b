"""`tangguh fetch` names every URL that gave nothing, with why, and its exit code says so.

Real HTTP against the sample web's misbehaving hosts; the CLI runs as a user runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow
TANGGUH = str(Path(sys.executable).parent / "tangguh")
FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_TIMEOUT": 3,
    "RETRY_TIMES": 0,
}

# path on the sample web -> what the user must read about it
EXPECTED = {
    ("faults.test", "/status/404"): "HTTP 404 (Not Found)",
    ("faults.test", "/status/500"): "HTTP 500 (Internal Server Error)",
    ("faults.test", "/stall"): "timed out (no answer within 3.0 s)",
    ("faults.test", "/drop"): "connection failed",
    ("faults.test", "/redirect/loop"): "redirect loop at",
    ("faults.test", "/redirect/private"): "refused: 10.0.0.1 is a private",
    ("faults.test", "/redirect/localhost"): "refused: localhost (127.0.0.1) is a private",
    ("faults.test", "/redirect/metadata"): "refused: 169.254.169.254 is a private",
    (
        "faults.test",
        "/redirect/file",
    ): "refused: only http and https are fetched (redirected to file:)",
    ("faults.test", "/oversized"): "page larger than the download limit",
    ("faults.test", "/binary.pdf"): "not a web page (application/pdf)",
    ("faults.test", "/empty"): "empty page",
    ("faults.test", "/soft-block"): "a bot check or block page",
    ("faults.test", "/malformed"): "no text on the page",
    ("robots-disallow.test", "/private/x"): "refused by the site's robots.txt",
    ("robots-503.test", "/a"): "refused by the site's robots.txt (robots.txt answered HTTP 503",
}
PRIVATE_HINT = "(pass --allow-private, or set TANGGUH_ALLOW_PRIVATE=1, to fetch it)"


def fetch(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(
        os.environ, TANGGUH_RESOLVE="*.test=127.0.0.1", TANGGUH_SCRAPY_SETTINGS=json.dumps(FAST)
    )
    env.pop("TANGGUH_ALLOW_PRIVATE", None)
    db = f"sqlite:///{tmp_path / 'f.db'}"
    return subprocess.run(
        [TANGGUH, "--db", db, "fetch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )


@pytest.fixture(scope="module")
def web():
    with SampleWeb() as sample:
        yield sample


def one_line(output: str) -> str:
    return " ".join(output.split())


def test_every_failed_url_is_named_with_its_reason_and_counted(web, tmp_path):
    urls = {key: web.url(*key) for key in EXPECTED}
    refused_port = "http://refused.test:1/a"
    loopback = f"http://127.0.0.1:{web.port}/"
    good = web.url("faults.test", "/ok")
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join([good, *urls.values(), refused_port, loopback]) + "\n")
    proc = fetch(tmp_path, "--urls", str(listing))
    out, err = one_line(proc.stdout), proc.stderr
    assert proc.returncode == 3, proc.stdout + err
    for key, words in EXPECTED.items():
        assert f"failed {urls[key]}: {words}" in out, (key, out)
    assert f"failed {refused_port}: connection refused by the server" in out
    assert f"failed {loopback}: refused: 127.0.0.1 is a private" in out
    assert one_line(PRIVATE_HINT) in out
    assert f"failed {good}" not in out
    failed = len(EXPECTED) + 2
    # the summary's word agrees with the exit code
    assert f"partial: 1 new, 0 updated, 0 unchanged, {failed} failed" in out, out
    assert "Traceback" not in err
    # a dropped item is one line naming its URL and why, never the page itself
    dropped = [line for line in err.splitlines() if "Dropped" in line]
    assert dropped and all(urls["faults.test", "/malformed"] in line for line in dropped)
    assert any(line.endswith("invalid: empty text") for line in dropped), dropped
    assert "<html" not in err and "<div" not in err


def test_exit_codes_say_ok_partial_and_unusable_input(web, tmp_path):
    good = web.url("faults.test", "/ok")
    ok = fetch(tmp_path, good)
    assert ok.returncode == 0 and " ok: " in ok.stdout, ok.stdout + ok.stderr
    # a line that is not a URL is a failure of the run, and said so in the summary
    partial = fetch(tmp_path, good, "bukan-url")
    assert partial.returncode == 3 and " partial: " in partial.stdout, partial.stdout
    assert "argument:2: 'bukan-url'" in partial.stderr
    bad = tmp_path / "bad.txt"
    bad.write_text("bukan url\nftp://x.test/a\n")
    unusable = fetch(tmp_path, "--urls", str(bad))
    assert unusable.returncode == 4 and "no valid URL to fetch" in unusable.stderr


def test_allow_private_is_accepted_after_the_command(web, tmp_path):
    loopback = f"http://127.0.0.1:{web.port}/"
    refused = fetch(tmp_path, loopback)
    assert refused.returncode == 3 and "refused: 127.0.0.1" in one_line(refused.stdout)
    allowed = fetch(tmp_path, loopback, "--allow-private")
    assert "refused" not in allowed.stdout, allowed.stdout
    help_text = subprocess.run([TANGGUH, "crawl", "--help"], capture_output=True, text=True)
    assert "--allow-private" in help_text.stdout
