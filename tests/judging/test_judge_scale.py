"""`judge run` at contest scale: entries on hundreds of hosts, Ctrl-C and resume.

The CLI runs as a user runs it, against `SampleWeb(entries=N)` (one blog per host) with the
`.test` names mapped to loopback by `TANGGUH_RESOLVE` (no `--allow-private`: mapped hosts are
the operator's choice). Speed is measured by `bench/judge.py`, never asserted here.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from judging_helpers import EXAMPLE_CONTEST

from tangguh.judging.journal import JOURNAL
from tangguh.sampleweb.contest_web import write_form
from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow
TANGGUH = str(Path(sys.executable).parent / "tangguh")


def judge_run(form: Path, out: Path, *extra: str, settings: dict | None = None, **popen):
    env = dict(os.environ, TANGGUH_RESOLVE="*.test=127.0.0.1")
    env.pop("TANGGUH_ALLOW_PRIVATE", None)
    if settings:
        env["TANGGUH_SCRAPY_SETTINGS"] = json.dumps(settings)
    args = [TANGGUH, "judge", "run", str(EXAMPLE_CONTEST), "--entries", str(form),
            "--out", str(out), "--no-store", *extra]  # fmt: skip
    return subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen
    )


def gets(web: SampleWeb, urls: set[str]) -> list[str]:
    return [url for method, url, _ in web.request_log if method == "GET" and url in urls]


def test_500_entries_on_500_hosts(tmp_path):
    with SampleWeb(entries=500) as web:
        urls = web.farm.entry_urls()
        form = write_form(tmp_path / "entri.csv", urls)
        proc = judge_run(form, tmp_path / "hasil")
        stdout, stderr = proc.communicate(timeout=900)
        requested = gets(web, set(urls))
    assert proc.returncode == 0, stdout[-2000:] + stderr[-2000:]
    assert "penjurian selesai (kode 0): 500 entri dinilai, 500 lolos" in " ".join(stdout.split())
    assert "500/500" in stderr  # the progress bar reached the end
    records = json.loads((tmp_path / "hasil" / "report.json").read_text(encoding="utf-8"))
    assert [r["url"] for r in records] == urls
    assert all(r["eligible"] and r["comment_count"] == 3 for r in records)
    assert len({r["site"] for r in records}) == 500
    # each entry's page asked for once, from its own host
    assert sorted(requested) == sorted(urls)


def _worker_of(pid: int, deadline: float) -> int:
    """The fetch worker child of the `tangguh` process ``pid`` (Linux /proc)."""
    while time.monotonic() < deadline:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == pid and b"fetch_worker" in cmdline:
                return int(stat.parent.name)
        time.sleep(0.1)
    raise AssertionError("no fetch worker started")


def _journal_lines(out: Path) -> list[dict]:
    path = out / JOURNAL
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker through /proc")
def test_ctrl_c_then_resume_fetches_no_kept_entry_again(tmp_path):
    out = tmp_path / "hasil"
    with SampleWeb(entries=40) as web:
        urls = web.farm.entry_urls()
        form = write_form(tmp_path / "entri.csv", urls)
        # slowed down so that the interrupt lands mid-way
        slow = {"CONCURRENT_REQUESTS": 2, "DOWNLOAD_DELAY": 0.2, "AUTOTHROTTLE_ENABLED": False}
        proc = judge_run(form, out, settings=slow)
        worker = _worker_of(proc.pid, time.monotonic() + 60)
        deadline = time.monotonic() + 120
        while len(_journal_lines(out)) < 5 and time.monotonic() < deadline:
            time.sleep(0.1)
        os.kill(worker, signal.SIGINT)  # what Ctrl-C sends to the process group's child
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 130, stdout + stderr
        kept = [line["url"] for line in _journal_lines(out)]
        assert 5 <= len(kept) < 40
        said = " ".join(stderr.split())
        assert f"dihentikan: {len(kept)} dari 40 entri sudah diambil" in said, said
        assert "jalankan perintah yang sama lagi" in said and "Traceback" not in stderr
        assert not (out / "report.json").exists()  # nothing judged on half the entries
        first = gets(web, set(urls))

        proc = judge_run(form, out)
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stdout + stderr
        assert f"{len(kept)} entri sudah diambil sebelumnya" in " ".join(stderr.split())
        second = gets(web, set(urls))[len(first) :]
        assert not set(second) & set(kept), "an entry kept from the first run was fetched again"
        assert set(first) | set(second) == set(urls)
        records = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert len(records) == 40 and all(r["eligible"] for r in records)

        # everything kept: a third run fetches nothing; --refetch fetches everything again
        before = len(gets(web, set(urls)))
        proc = judge_run(form, out)
        proc.communicate(timeout=300)
        assert proc.returncode == 0 and len(gets(web, set(urls))) == before
        proc = judge_run(form, out, "--refetch")
        proc.communicate(timeout=300)
        assert proc.returncode == 0 and len(gets(web, set(urls))) == before + 40
