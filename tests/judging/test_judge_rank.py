import csv
import shutil
from dataclasses import replace

import pytest
from judging_helpers import BLOGGER_BODY, TRIBRATA_LINK, entry, fetched
from openpyxl import load_workbook

from tangguh.judging.rank import RankError, judge_total, rank_sheets, read_key, write_ranking_csv
from tangguh.judging.report import write_reports
from tangguh.judging.rules import judge
from tangguh.judging.scoresheet import FIRST_ROW, read_score_sheet

COMPLIANT = BLOGGER_BODY.replace("</div>\n</div>", "</div>\n" + TRIBRATA_LINK + "\n</div>")
VARIANTS = [
    "Pagi itu warga RW 03 Kelurahan Bendo berkumpul di posko.",
    "Lumbung pangan di Kelurahan Karangsari terisi beras jimpitan.",
    "Ruang isolasi di Kelurahan Tanggung disiapkan pemuda karang taruna.",
]


@pytest.fixture
def judged(contest, tmp_path):
    """A judged run with three eligible, distinct entries; returns the output folder."""
    entries, got = [], {}
    for i, opening in enumerate(VARIANTS):
        url = f"https://peserta{i}.blogspot.com/2020/06/kampung-tangguh.html"
        paragraphs = COMPLIANT.split("\n")[1:-2]
        body = "\n".join([f"<div>{opening}</div>", *paragraphs[i::3], TRIBRATA_LINK])
        entries.append(entry(2 + i, url))
        got[url] = fetched(url, body, title=f"Judul {i}")
    lenient = replace(
        contest,
        rules=replace(contest.rules, min_words=100, required_hashtags=(), min_images=None),
    )
    verdicts = judge(lenient, entries, got)
    assert all(v.eligible for v in verdicts), [v.checks for v in verdicts if v.fails]
    write_reports(tmp_path, lenient, verdicts, [])
    return tmp_path


def fill(folder, judge_name, scores, name=None):
    """Copy the blank sheet and fill it like a judge would (scores: number -> [isi, kreativitas, tampilan])."""
    path = folder / (name or f"{judge_name}.xlsx")
    shutil.copy(folder / "score-sheet.xlsx", path)
    wb = load_workbook(path)
    ws = wb["Penilaian"]
    ws["B3"] = judge_name
    for r in range(FIRST_ROW, ws.max_row + 1):
        number = ws.cell(r, 1).value
        for j, value in enumerate(scores.get(number, [])):
            ws.cell(r, 3 + j, value)
    wb.save(path)
    return path


def test_blank_sheet_layout(judged, contest):
    sheet = read_score_sheet(judged / "score-sheet.xlsx")
    assert sorted(sheet.scores) == [1, 2, 3]
    assert sheet.criteria == contest.criteria
    ws = load_workbook(judged / "score-sheet.xlsx")["Penilaian"]
    assert ws.protection.sheet is True
    assert [ws.cell(5, c).value for c in range(3, 6)] == [
        "isi (bobot 60)", "kreativitas (bobot 25)", "tampilan (bobot 15)",
    ]  # fmt: skip
    assert ws.cell(FIRST_ROW, 3).protection.locked is False
    assert ws.cell(FIRST_ROW, 2).protection.locked is True


def test_rank_combines_judges_with_weights_and_shows_ties(judged, contest):
    a = fill(judged, "Juri A", {1: [80, 70, 60], 2: [90, 60, 50], 3: [70, 70, 70]})
    b = fill(judged, "Juri B", {1: [80, 70, 60], 2: [70, 80, 90], 3: [70, 70, 70]})
    ranking = rank_sheets(contest, [a, b])
    assert ranking.judges == ["Juri A", "Juri B"] and ranking.problems == []
    expected = {
        1: (judge_total({"isi": 80, "kreativitas": 70, "tampilan": 60}, contest.criteria)),
        2: (
            judge_total({"isi": 90, "kreativitas": 60, "tampilan": 50}, contest.criteria)
            + judge_total({"isi": 70, "kreativitas": 80, "tampilan": 90}, contest.criteria)
        )
        / 2,
        3: 70.0,
    }
    assert expected[1] == pytest.approx((80 * 60 + 70 * 25 + 60 * 15) / 100)
    scores = {r.number: r.score for r in ranking.rows}
    assert scores == pytest.approx(expected)
    ranks = {r.number: (r.rank, r.tied) for r in ranking.rows}
    ordered = sorted(expected, key=lambda n: -expected[n])
    assert ranks[ordered[0]] == (1, False)
    # a tie: with judge A's 74.5 (entry 1) and 70 (entry 3), judge C's 50 and 54.5 level them
    c = fill(judged, "Juri C", {1: [50, 50, 50], 3: [54.5, 54.5, 54.5], 2: [10, 10, 10]})
    tied = rank_sheets(contest, [a, c])
    r1, r3 = (next(r for r in tied.rows if r.number == n) for n in (1, 3))
    assert r1.score == pytest.approx(r3.score) and r1.rank == r3.rank and r1.tied and r3.tied
    assert [r.rank for r in tied.rows] == [1, 1, 3]


def test_ranking_csv_names_entries_from_the_blind_key(judged, contest):
    a = fill(judged, "Juri A", {1: [80, 70, 60], 2: [90, 60, 50], 3: [70, 70, 70]})
    ranking = rank_sheets(contest, [a])
    out = judged / "ranking.csv"
    write_ranking_csv(out, ranking, read_key(judged / "blind-key.csv"))
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["Peringkat"] == "1" and rows[0]["URL"].startswith("https://peserta")
    assert rows[0]["Total Juri A"] == f"{ranking.rows[0].score:.2f}"


def test_incomplete_and_out_of_range_scores_are_reported(judged, contest):
    a = fill(judged, "Juri A", {1: [80, 70], 2: [90, 160, 50], 3: [70, 70, 70]})
    ranking = rank_sheets(contest, [a])
    assert any("naskah 2" in p and "di luar" in p for p in ranking.problems)
    assert any("naskah 1 belum dinilai lengkap" in p for p in ranking.problems)
    assert [r.number for r in ranking.rows if r.score is None] == [1, 2]


def _tamper(path, action):
    wb = load_workbook(path)
    action(wb["Penilaian"])
    wb.save(path)


@pytest.mark.parametrize(
    "action",
    [
        lambda ws: ws.cell(FIRST_ROW, 2, "Judul lain"),  # a title swapped
        lambda ws: ws.cell(FIRST_ROW, 1, 99),  # a number changed
        lambda ws: ws.cell(5, 3, "isi (bobot 90)"),  # a weight edited
        lambda ws: ws.insert_rows(FIRST_ROW + 1),  # rows shifted
        lambda ws: ws.cell(20, 1, 4),  # an entry added below
    ],
)
def test_sheet_altered_outside_score_cells_is_refused(judged, contest, action):
    good = fill(judged, "Juri A", {1: [80, 70, 60], 2: [90, 60, 50], 3: [70, 70, 70]})
    bad = fill(judged, "Juri B", {1: [80, 70, 60], 2: [90, 60, 50], 3: [70, 70, 70]})
    _tamper(bad, action)
    with pytest.raises(RankError) as info:
        rank_sheets(contest, [good, bad])
    assert "Juri B.xlsx" in str(info.value) and "diubah di luar sel nilai" in str(info.value)


def test_notes_and_judge_name_are_editable(judged, contest):
    a = fill(judged, "Juri A", {1: [80, 70, 60], 2: [90, 60, 50], 3: [70, 70, 70]})
    _tamper(a, lambda ws: ws.cell(FIRST_ROW, 7, "Bagus, tapi foto kurang"))
    sheet = read_score_sheet(a)
    assert sheet.notes == {
        load_workbook(a)["Penilaian"].cell(FIRST_ROW, 1).value: "Bagus, tapi foto kurang"
    }


def test_same_judge_twice_and_foreign_files_are_refused(judged, contest, tmp_path):
    a = fill(judged, "Juri A", {1: [80, 70, 60]})
    a2 = fill(judged, "juri a", {1: [80, 70, 60]}, name="lagi.xlsx")
    with pytest.raises(RankError, match="dua kali"):
        rank_sheets(contest, [a, a2])
    other = tmp_path / "lain.xlsx"
    from openpyxl import Workbook

    Workbook().save(other)
    with pytest.raises(RankError, match="bukan lembar penilaian"):
        rank_sheets(contest, [a, other])
    changed = replace(contest, criteria={"isi": 100.0})
    with pytest.raises(RankError, match="kriteria"):
        rank_sheets(changed, [a])
