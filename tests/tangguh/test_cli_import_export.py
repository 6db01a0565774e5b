"""`tangguh import` / `export` / `stats` through the real CLI and a real SQLite file."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tangguh.cli import app

RECORDS = [
    {
        "url": "https://contoh.blogspot.com/2020/06/posko.html?m=1",
        "kind": "post",
        "title": "Posko RW 05",
        "author": "Rina",
        "published_at": "Senin, 15 Juni 2020 10:21 WIB",
        "text": "Warga RW 05 meresmikan posko Kampung Tangguh Semeru lengkap dengan lumbung "
        "pangan, dapur umum dan ruang isolasi bagi warga yang baru pulang dari luar kota.",
    },
    {
        "url": "https://contoh.blogspot.com/2020/06/posko.html?showComment=1592191260000#c1",
        "kind": "comment",
        "author": "Dimas",
        "published_at": "15 Juni 2020 pukul 10.21",
        "parent_url": "https://contoh.blogspot.com/2020/06/posko.html",
        "text": "Keren sekali, semoga menular ke kampung lain.",
    },
    {
        "url": "https://kominfo.example.go.id/berita/kampung-tangguh",
        "kind": "article",
        "title": "Kampung Tangguh Diresmikan",
        "published_at": "2020-06-16T14:30:00+07:00",
        "text": "Wali Kota meresmikan 21 Kampung Tangguh Semeru secara serentak di Kelurahan "
        "Kepanjen Lor.",
    },
]

runner = CliRunner()


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _export(db: str, tmp_path: Path) -> list[dict]:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["--db", db, "export", "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_import_twice_keeps_the_same_documents(tmp_path):
    db = f"sqlite:///{tmp_path / 't.db'}"
    src = _write(tmp_path / "in.jsonl", [json.dumps(r, ensure_ascii=False) for r in RECORDS])
    for _ in range(2):
        result = runner.invoke(app, ["--db", db, "import", str(src)])
        assert result.exit_code == 0, result.output
    docs = _export(db, tmp_path)
    assert len(docs) == 3
    by_kind = {d["kind"]: d for d in docs}
    post = by_kind["post"]
    assert post["url"] == "https://contoh.blogspot.com/2020/06/posko.html"
    assert post["published_at"] == "2020-06-15T10:21:00+07:00"
    assert post["published_raw"] == "Senin, 15 Juni 2020 10:21 WIB"
    assert post["platform"] == "blogger" and post["site"] == "contoh.blogspot.com"
    comment = by_kind["comment"]
    assert comment["parent_url"] == post["url"]
    assert comment["url"] != post["url"], "a comment must keep its own identity"
    assert comment["published_at"] == "2020-06-15T10:21:00+07:00"
    assert by_kind["article"]["published_at"] == "2020-06-16T14:30:00+07:00"


def test_export_then_import_round_trips_every_field(tmp_path):
    db1, db2 = (f"sqlite:///{tmp_path / n}" for n in ("a.db", "b.db"))
    src = _write(tmp_path / "in.jsonl", [json.dumps(r) for r in RECORDS])
    assert runner.invoke(app, ["--db", db1, "import", str(src)]).exit_code == 0
    first = _export(db1, tmp_path)
    again = _write(tmp_path / "again.jsonl", [json.dumps(d) for d in first])
    assert runner.invoke(app, ["--db", db2, "import", str(again)]).exit_code == 0
    second = _export(db2, tmp_path)
    strip = lambda docs: sorted(  # noqa: E731
        ({k: v for k, v in d.items() if k != "fetched_at"} for d in docs), key=lambda d: d["url"]
    )
    assert strip(first) == strip(second)


def test_csv_export_has_the_record_columns(tmp_path):
    db = f"sqlite:///{tmp_path / 't.db'}"
    src = _write(tmp_path / "in.jsonl", [json.dumps(r) for r in RECORDS])
    assert runner.invoke(app, ["--db", db, "import", str(src)]).exit_code == 0
    out = tmp_path / "out.csv"
    assert runner.invoke(app, ["--db", db, "export", "-f", "csv", "-o", str(out)]).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 3
    assert set(rows[0]) >= {"url", "published_raw", "duplicate_of", "fetched_at"}


def test_export_out_dash_writes_to_standard_output(tmp_path):
    """`tangguh export --out - | jq`: the records on stdout, nothing else there, no file '-'."""
    db = f"sqlite:///{tmp_path / 'd.db'}"
    src = _write(tmp_path / "in.jsonl", [json.dumps(r) for r in RECORDS])
    assert runner.invoke(app, ["--db", db, "import", str(src)]).exit_code == 0
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "tangguh"), "--db", db, "export", "--out", "-"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 3 and {r["kind"] for r in records} == {"post", "comment", "article"}
    assert not (tmp_path / "-").exists()


def test_bad_lines_are_reported_and_valid_lines_kept(tmp_path):
    db = f"sqlite:///{tmp_path / 'b.db'}"
    src = _write(
        tmp_path / "bad.jsonl",
        [
            json.dumps({"url": "https://a.example/1", "text": "satu"}),
            "bukan json",
            json.dumps({"url": "https://a.example/3"}),
            json.dumps(["a", "list"]),
            json.dumps({"url": "ftp://a.example/5", "text": "lima"}),
            json.dumps({"url": "https://a.example/6", "text": "enam", "kind": "video"}),
            json.dumps({"url": "https://a.example/7", "text": "tujuh"}),
        ],
    )
    # The installed entry point, as a user runs it: no traceback may reach them.
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "tangguh"), "--db", db, "import", str(src)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 3
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output
    for line in ("bad.jsonl:2", "bad.jsonl:3", "bad.jsonl:4", "bad.jsonl:5", "bad.jsonl:6"):
        assert line in output
    assert "missing required field(s): text" in output
    urls = {d["url"] for d in _export(db, tmp_path)}
    assert urls == {"https://a.example/1", "https://a.example/7"}


def test_missing_file_and_bad_db_url_are_clear_errors(tmp_path):
    result = runner.invoke(app, ["--db", f"sqlite:///{tmp_path}/x.db", "import", "nope.jsonl"])
    assert result.exit_code == 4
    assert "no such file" in result.output
    result = runner.invoke(app, ["--db", "postgresql+nodriver://x/y", "stats"])
    assert result.exit_code == 6
    assert "database" in result.output


def test_stats_counts_by_kind_site_and_month(tmp_path):
    db = f"sqlite:///{tmp_path / 't.db'}"
    src = _write(tmp_path / "in.jsonl", [json.dumps(r) for r in RECORDS])
    assert runner.invoke(app, ["--db", db, "import", str(src)]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["by_kind"] == {"post": 1, "comment": 1, "article": 1}
    assert data["by_site"]["contoh.blogspot.com"] == 2
    assert data["by_month"] == {"2020-06": 3}


def test_import_and_export_on_postgresql(tmp_path, pg_url):
    """The same CLI path on the scale-out store (skips without TANGGUH_TEST_PG)."""
    src = _write(tmp_path / "in.jsonl", [json.dumps(r, ensure_ascii=False) for r in RECORDS])
    for _ in range(2):
        result = runner.invoke(app, ["--db", pg_url, "import", str(src)])
        assert result.exit_code == 0, result.output
    docs = _export(pg_url, tmp_path)
    assert len(docs) == 3
    post = next(d for d in docs if d["kind"] == "post")
    assert post["published_at"] == "2020-06-15T10:21:00+07:00"
    comment = next(d for d in docs if d["kind"] == "comment")
    assert comment["parent_url"] == post["url"]
