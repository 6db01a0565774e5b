"""Entries whose page names another address: each is judged on what its own request fetched.

A blog on its own domain whose pages still name the blogspot address, an archived copy, a page
copied whole from another entrant, and short links (two to the same post) over real HTTP on
the sample web. None fails for the address it names; the committee is told (evidence and a
flag), and a copy still fails originality against the entry it copied.
"""

from __future__ import annotations

import csv
import json

import pytest
from judging_helpers import judge_run_real

from tangguh.sampleweb.contest_web import (
    ARCHIVE,
    COPYCAT,
    COPYCAT_PATH,
    CUSTOM_DOMAIN,
    SHORT,
    contest_entries,
)
from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    entries = contest_entries()
    out = tmp_path_factory.mktemp("alamat")
    with SampleWeb() as web:
        e01 = web.url(entries["E01"]["host"], entries["E01"]["path"])
        e02 = web.url(entries["E02"]["host"], entries["E02"]["path"])
        e03 = web.url(entries["E03"]["host"], entries["E03"]["path"])
        rows = {
            "original": e02,
            "short": web.url(SHORT, "/lomba-e02"),
            "short-again": web.url(SHORT, "/ktsemeru2"),
            "custom-domain": web.url(CUSTOM_DOMAIN, entries["E01"]["path"]),
            "blogspot": e01,
            "copy": web.url(COPYCAT, COPYCAT_PATH),
            "archive": web.url(ARCHIVE, f"/web/20200701000000/{e03}"),
        }
        form = out / "entri.csv"
        with form.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["Timestamp", "Nama Lengkap", "Alamat Email", "URL Postingan"])
            for n, (label, url) in enumerate(rows.items()):
                writer.writerow([f"6/27/2020 10:{n:02d}:00", label, f"{label}@mail.test", url])
        mp = pytest.MonkeyPatch()
        try:
            result = judge_run_real(form, out / "hasil", mp)
        finally:
            mp.undo()
        requested = [url for method, url, _ in web.request_log if method == "GET"]
    records = json.loads((out / "hasil" / "report.json").read_text(encoding="utf-8"))
    by_label = {label: rec for label, rec in zip(rows, records, strict=True)}
    return by_label, rows, requested, result, (e01, e02, e03), out / "hasil"


def test_every_entry_is_fetched_and_judged_on_its_own_page(judged):
    by_label, rows, _, result, *_ = judged
    assert result.exit_code == 0, result.output
    for label, rec in by_label.items():
        assert rec["url"] == rows[label]
        assert rec["checks"]["reachable"]["passed"], (label, rec["checks"]["reachable"])
        assert rec["word_count"] and rec["word_count"] > 300, label


def test_a_custom_domain_naming_the_blogspot_address_is_flagged_not_failed(judged):
    by_label, rows, _, _, (e01, _, _), _ = judged
    own, original = by_label["custom-domain"], by_label["blogspot"]
    assert own["snapshot"]["final_url"] == rows["custom-domain"]
    assert own["snapshot"]["declared"] == {"canonical": e01, "og:url": e01}
    assert "declared_elsewhere" in own["flags"] and "declared_elsewhere" not in original["flags"]
    evidence = own["checks"]["reachable"]["evidence"]
    assert f"canonical {e01}" in evidence and "perlu dilihat juri" in evidence
    assert own["checks"]["reachable"]["declared_elsewhere"]["canonical"] == e01
    # the same post, judged alike: only originality tells the two rows apart
    assert own["word_count"] == original["word_count"]
    assert own["snapshot"]["sha256"] == original["snapshot"]["sha256"]
    assert {k for k, c in own["checks"].items() if c["passed"] is False} - {
        "max_similarity"
    } == set(original["fails"]) - {"max_similarity"}


def test_a_copied_page_is_flagged_and_fails_originality_against_the_original(judged):
    by_label, _, _, _, (_, e02, _), _ = judged
    copy = by_label["copy"]
    assert copy["snapshot"]["declared"]["canonical"] == e02
    assert "declared_elsewhere" in copy["flags"]
    similar = copy["checks"]["max_similarity"]
    assert similar["passed"] is False
    assert similar["most_similar_entry"]["url"] == by_label["original"]["url"]
    assert by_label["original"]["checks"]["max_similarity"]["passed"] is True


def test_an_archived_copy_names_the_original(judged):
    by_label, _, _, _, (_, _, e03), _ = judged
    archived = by_label["archive"]
    assert archived["snapshot"]["declared"]["canonical"] == e03
    assert "declared_elsewhere" in archived["flags"]


def test_short_links_each_get_their_own_answer(judged):
    by_label, rows, requested, _, (_, e02, _), _ = judged
    for label in ("short", "short-again"):
        rec = by_label[label]
        assert rec["snapshot"]["final_url"] == e02
        assert rec["snapshot"]["redirects"] == [rows[label]]
        assert "dialihkan ke" in rec["checks"]["reachable"]["evidence"]
        assert "declared_elsewhere" not in rec["flags"]  # the post names its own host
        assert rec["snapshot"]["sha256"] == by_label["original"]["snapshot"]["sha256"]
    # the post itself was asked once per entry that leads to it, not filtered as a duplicate
    assert requested.count(e02) == 3, requested


def test_the_report_for_people_says_why_an_entry_is_flagged(judged):
    by_label, rows, *_, folder = judged
    with (folder / "report.csv").open(encoding="utf-8-sig") as fh:
        notes = {row["URL"]: row["Catatan"] for row in csv.DictReader(fh)}
    assert "alamat di host lain" in notes[rows["custom-domain"]]
    assert notes[rows["original"]] == ""
