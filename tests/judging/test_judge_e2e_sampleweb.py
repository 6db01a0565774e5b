"""`judge run` over the sample web's contest: every verdict and its evidence (slow: real crawl)."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from judging_helpers import EXAMPLE_CONTEST, judge_run_real
from typer.testing import CliRunner

from tangguh.judging import commands
from tangguh.judging.contest import load_contest

CORPUS = Path(__file__).resolve().parents[2] / "tangguh" / "sampleweb" / "corpus" / "contest.json"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def web():
    server = pytest.importorskip("tangguh.sampleweb.server")
    pytest.importorskip("scrapers.runner")
    with server.SampleWeb() as sample:
        yield sample


@pytest.fixture(scope="module")
def contest_data():
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def write_form(path: Path, web, entries) -> dict[str, dict]:
    """The Google Forms export (English headers, M/D/YYYY timestamps) plus two broken rows."""
    by_url = {}
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Timestamp", "Nama Lengkap", "Alamat Email", "URL Postingan"])
        for e in entries:
            when = datetime.fromisoformat(e["timestamp"])
            stamp = f"{when.month}/{when.day}/{when.year} {when.hour}:{when.minute:02d}:00"
            url = web.url(e["host"], e["path"])
            writer.writerow([stamp, e["name"], e["email"], url])
            by_url[url] = e
        writer.writerow(["6/28/2020 23:00:00", "Tanpa URL", "kosong@mail.test", ""])
        first = entries[0]
        writer.writerow(["6/28/2020 23:10:00", first["name"], first["email"],
                         web.url(first["host"], first["path"]) + "?m=1"])  # fmt: skip
        missing = web.url(first["host"], "/2020/06/tulisan-yang-sudah-dihapus.html")
        writer.writerow(["6/28/2020 23:20:00", "Hilang", "hilang@mail.test", missing])
    return by_url


@pytest.fixture(scope="module")
def judged(tmp_path_factory, web, contest_data, monkeypatch_module):
    out = tmp_path_factory.mktemp("judging")
    form = out / "entri.csv"
    by_url = write_form(form, web, contest_data["entries"])
    result = judge_run_real(form, out / "hasil", monkeypatch_module)
    assert result.exit_code == 3, result.output  # judged; the malformed rows were not
    records = json.loads((out / "hasil" / "report.json").read_text(encoding="utf-8"))
    return out / "hasil", records, by_url, result.output


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_contest_file_matches_the_corpus_rules(contest_data):
    contest = load_contest(EXAMPLE_CONTEST)
    rules = contest_data["rules"]
    assert contest.rules.min_words == rules["min_words"]
    assert list(contest.rules.required_hashtags) == rules["required_hashtags"]
    assert contest.opens.isoformat().startswith(contest_data["opens"])


def test_every_verdict_matches_the_corpus(judged, contest_data):
    _, records, by_url, _ = judged
    assert len(records) == len(contest_data["entries"]) + 1 >= 13
    missing = records[-1]
    assert missing["fails"] == ["reachable"] and missing["url"] not in by_url
    assert (
        missing["checks"]["reachable"]["evidence"]
        == "tidak dapat diakses: tidak ditemukan (HTTP 404)"
    )
    for record in records[:-1]:
        expected = by_url[record["url"]]["expected"]
        label = by_url[record["url"]]["entry"]
        assert record["eligible"] is expected["eligible"], (label, record["fails"])
        assert sorted(record["fails"]) == sorted(expected["fails"]), label
        assert sorted(record["flags"]) == sorted(expected["flags"]), label


def test_evidence_of_each_violation(judged, contest_data):
    _, records, by_url, _ = judged
    by_label = {by_url[r["url"]]["entry"]: r for r in records if r["url"] in by_url}
    e06 = by_label["E06"]["checks"]["min_words"]
    assert re.fullmatch(r"29\d kata \(kurang dari minimal 300\)", e06["evidence"])
    assert e06["word_count"] == by_label["E06"]["word_count"] < 300
    e09 = by_label["E09"]
    assert e09["checks"]["window"]["evidence"].startswith(
        "terbit 29 Juni 2020 00.30 WIB, setelah batas"
    )
    assert e09["published_at"] == "2020-06-29T00:30:00+07:00"
    assert "#KampungTangguhSemeru" in by_label["E07"]["checks"]["required_hashtags"]["evidence"]
    assert by_label["E08"]["checks"]["min_images"]["evidence"].startswith("0 gambar")
    assert (
        "tribratanews.jatim.polri.go.id" in by_label["E01"]["checks"]["required_links"]["evidence"]
    )
    e10 = by_label["E10"]["checks"]["one_entry_per"]["evidence"]
    assert f"baris {by_label['E02']['row']}" in e10
    e11 = by_label["E11"]["checks"]["max_similarity"]
    assert e11["most_similar_entry"]["url"] == by_label["E04"]["url"]
    assert e11["most_similar_entry"]["score"] > 0.6
    assert by_label["E04"]["checks"]["max_similarity"]["passed"] is True
    e05 = by_label["E05"]["checks"]["window"]["evidence"]
    assert "diubah 2 Juli 2020" in e05 and "setelah batas" in e05
    for label, record in by_label.items():
        if record["eligible"]:
            assert record["checks"]["window"]["evidence"].startswith("terbit "), label
            assert record["snapshot"]["sha256"] and record["comment_count"] >= 1, label
    assert by_label["E01"]["comment_count"] == 15


def test_malformed_rows_reported_with_row_numbers(judged, contest_data):
    out, records, _, output = judged
    n = len(contest_data["entries"])
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    problems = {p["row"]: p["message"] for p in run["input_problems"]}
    assert "URL kosong" in problems[n + 2]
    assert "URL ganda" in problems[n + 3] and "baris 2" in problems[n + 3]
    assert f"baris {n + 2}" in output


def test_outputs_for_people(judged):
    out, records, _, _ = judged
    with (out / "report.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["Hasil"] for r in rows} == {"LOLOS", "TIDAK LOLOS", "TIDAK DINILAI"}
    eligible = [r for r in records if r["eligible"]]
    assert len(list((out / "blind").glob("naskah-*.txt"))) == len(eligible)
    for path in (out / "blind").glob("naskah-*.txt"):
        text = path.read_text(encoding="utf-8")
        assert ".test" not in text and "http" not in text
    assert (out / "score-sheet.xlsx").exists() and (out / "report.xlsx").exists()


def test_recheck_reports_a_removed_entry(judged, web, contest_data):
    out, records, by_url, _ = judged
    target = next(r for r in records if by_url[r["url"]]["entry"] == "E02")
    runner = CliRunner()
    args = ["recheck", str(EXAMPLE_CONTEST), "--out", str(out), "--allow-private"]
    unchanged = runner.invoke(commands.app, args)
    assert unchanged.exit_code == 0, unchanged.output
    web.remove_page(target["url"], status=410)
    try:
        result = runner.invoke(commands.app, args)
    finally:
        web.restore_page(target["url"])
    assert result.exit_code == 7, result.output
    saved = json.loads(sorted(out.glob("recheck-*.json"))[-1].read_text(encoding="utf-8"))
    changed = [
        e for e in saved["entries"] if e["status"] not in ("unchanged",) and e["url"] in by_url
    ]
    assert [(e["url"], e["status"]) for e in changed] == [(target["url"], "gone")]
    assert "410" in changed[0]["reason"]
