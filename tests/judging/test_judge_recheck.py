import json
from dataclasses import replace

from judging_helpers import BLOGGER_BODY, TRIBRATA_LINK, FakeFetcher, entry, fetched

from tangguh.judging.recheck import recheck, write_recheck
from tangguh.judging.report import write_reports
from tangguh.judging.rules import judge
from tangguh.judging.text import body_text, count_words

COMPLIANT = BLOGGER_BODY.replace("</div>\n</div>", "</div>\n" + TRIBRATA_LINK + "\n</div>")
A = "https://susi.blogspot.com/2020/06/10-hal.html"
B = "https://lain.blogspot.com/2020/06/lain.html"


def judged_folder(contest, tmp_path):
    entries = [entry(2, A), entry(3, B)]
    got = {
        A: fetched(A, COMPLIANT),
        B: fetched(B, COMPLIANT.replace("Semangat pagi", "Selamat siang")),
    }
    contest_no_sim = replace(contest, rules=replace(contest.rules, max_similarity=None))
    write_reports(tmp_path, contest_no_sim, judge(contest_no_sim, entries, got), [])
    return contest_no_sim


def test_unchanged_entries_report_nothing(contest, tmp_path):
    contest = judged_folder(contest, tmp_path)
    fetcher = FakeFetcher(
        {
            A: fetched(A, COMPLIANT),
            B: fetched(B, COMPLIANT.replace("Semangat pagi", "Selamat siang")),
        }
    )
    changes = recheck(contest, tmp_path, fetcher)
    assert [c.status for c in changes] == ["unchanged", "unchanged"]
    assert not any(c.verdict_changes for c in changes)


def test_gone_and_shortened_entries_are_reported_with_diffs(contest, tmp_path):
    contest = judged_folder(contest, tmp_path)
    # after judging, the author cut the post down to its first paragraphs and edited one line
    lines = COMPLIANT.split("\n")
    shortened = "\n".join(lines[:8]).replace("Baguuuus!", "Bagus!") + TRIBRATA_LINK + "</div>"
    fetcher = FakeFetcher({A: fetched(A, shortened, updated="2020-07-10T09:00:00+07:00")})
    changes = recheck(contest, tmp_path, fetcher)
    a, b = changes
    assert a.status == "changed"
    assert a.words_before == count_words(body_text(COMPLIANT)[0])
    assert a.words_after == count_words(body_text(shortened)[0])
    assert a.word_delta == a.words_after - a.words_before < 0
    assert any(line.startswith("-") and "Baguuuus!" in line for line in a.diff)
    assert any(line.startswith("+") and "Bagus!" in line for line in a.diff)
    assert a.verdict_changes["min_words"]["before"] is True
    assert a.verdict_changes["min_words"]["after"] is False
    assert b.status == "gone" and "404" in b.reason
    path = write_recheck(tmp_path, changes)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert [e["status"] for e in saved["entries"]] == ["changed", "gone"]
