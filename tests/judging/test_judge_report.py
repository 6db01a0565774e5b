import csv
import json

from judging_helpers import BLOGGER_BODY, TRIBRATA_LINK, WORDPRESS_BODY, entry, fetched
from openpyxl import load_workbook

from tangguh.judging.entries import Problem
from tangguh.judging.fetch import FetchedEntry
from tangguh.judging.report import write_reports
from tangguh.judging.rules import RULE_NAMES, judge
from tangguh.judging.text import WORD_RULE

SUSI = "https://infokampungtangguhsemeru.blogspot.com/2020/06/10-hal-tentang-kampung-tangguh-semeru.html"
DAPUR = "https://dapurwargasentul.wordpress.com/2020/06/26/dapur-umum/"
GONE = "https://hilang.blogspot.com/2020/06/x.html"
COMPLIANT = BLOGGER_BODY.replace("</div>\n</div>", "</div>\n" + TRIBRATA_LINK + "\n</div>")


def run(contest, tmp_path):
    entries = [entry(2, SUSI, name="Susi Ernawati"), entry(3, DAPUR), entry(5, GONE)]
    got = {
        SUSI: fetched(
            SUSI,
            COMPLIANT
            + "<p>Kunjungi infokampungtangguhsemeru.blogspot.com ya, salam Susi Ernawati</p>",
            author="Susi Ernawati",
        ),
        DAPUR: fetched(DAPUR, WORDPRESS_BODY, platform="wordpress", title="Dapur umum"),
        GONE: FetchedEntry(url=GONE, error="DNS gagal: host tidak ditemukan"),
    }
    verdicts = judge(contest, entries, got)
    problems = [Problem(4, "URL kosong"), Problem(3, "URL tanpa http(s)://, dianggap X", "warning")]
    paths = write_reports(tmp_path, contest, verdicts, problems, entries_file="entri.csv")
    return verdicts, paths


def test_report_json_schema_for_scripts(contest, tmp_path):
    verdicts, paths = run(contest, tmp_path)
    records = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert [r["url"] for r in records] == [SUSI, DAPUR, GONE]
    susi, dapur, gone = records
    for r in records:
        assert {"url", "eligible", "word_count", "published_at", "fails", "checks"} <= set(r)
        assert set(r["checks"]) <= set(RULE_NAMES)
        assert all({"passed", "evidence"} <= set(c) for c in r["checks"].values())
    assert susi["eligible"] is True and susi["fails"] == []
    assert susi["published_at"] == "2020-06-25T10:00:00+07:00"
    assert susi["word_count"] == verdicts[0].word_count
    assert susi["checks"]["min_words"]["counting_rule"] == WORD_RULE
    assert susi["snapshot"]["sha256"] == verdicts[0].fetched.snapshot_sha256
    assert dapur["fails"] == ["min_words"] and dapur["eligible"] is False
    assert gone["fails"] == ["reachable"] and gone["word_count"] is None
    snapshot = json.loads((tmp_path / susi["snapshot"]["file"]).read_text(encoding="utf-8"))
    assert snapshot["body_html"].startswith('<div dir="ltr"')
    run_info = json.loads(paths["run"].read_text(encoding="utf-8"))
    assert run_info["input_problems"][0] == {"row": 4, "level": "error", "message": "URL kosong"}


def test_csv_and_xlsx_for_people_are_in_indonesian(contest, tmp_path):
    verdicts, paths = run(contest, tmp_path)
    with paths["csv"].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert header[:5] == ["Baris", "Nama", "Email", "URL", "Hasil"]
    assert "Jumlah kata minimal: bukti" in header
    by_row = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_row["2"]["Hasil"] == "LOLOS"
    assert (
        by_row["2"]["Periode terbit: bukti"]
        == "terbit 25 Juni 2020 10.00 WIB (dalam periode lomba)"
    )
    assert by_row["3"]["Hasil"] == "TIDAK LOLOS"
    assert by_row["3"]["Gagal pada"] == "Jumlah kata minimal"
    assert by_row["3"]["Jumlah kata minimal: bukti"].endswith(
        "kata (kurang dari minimal 300); 15 kata tersembunyi tidak dihitung"
    )
    assert by_row["5"]["Dapat diakses"] == "gagal"
    assert "ada teks tersembunyi" in by_row["3"]["Catatan"]
    assert "URL tanpa http(s)://" in by_row["3"]["Catatan"]
    assert by_row["2"]["Judul"] == "10 Hal tentang Kampung Tangguh Semeru"
    assert by_row["4"]["Hasil"] == "TIDAK DINILAI" and by_row["4"]["Catatan"] == "URL kosong"
    wb = load_workbook(paths["xlsx"])
    assert wb.sheetnames == ["Laporan", "Keterangan"]
    assert [c.value for c in wb["Laporan"][1]] == header
    notes = [row[1] for row in wb["Keterangan"].iter_rows(values_only=True)]
    assert WORD_RULE in notes


def test_blind_pack_hides_author_blog_and_urls(contest, tmp_path):
    verdicts, paths = run(contest, tmp_path)
    numbered = [v for v in verdicts if v.number is not None]
    assert [v.entry.url for v in numbered] == [SUSI]
    text = (paths["blind"] / "naskah-001.txt").read_text(encoding="utf-8")
    assert text.startswith("Naskah 001\nJudul: 10 Hal tentang Kampung Tangguh Semeru")
    assert "Semangat pagi, Sobat Tangguh!" in text
    for leak in ("Susi", "infokampungtangguhsemeru", "https://", "blogspot", "@example.com"):
        assert leak not in text
    html = (paths["blind"] / "index.html").read_text(encoding="utf-8")
    assert "Naskah 001" in html and "Susi" not in html
    with paths["key"].open(encoding="utf-8-sig") as fh:
        key = list(csv.DictReader(fh))
    assert key[0]["URL"] == SUSI and key[0]["Nomor naskah"] == "1"


def test_hostile_text_is_defused_in_xlsx(contest, tmp_path):
    url = "https://x.blogspot.com/2020/06/x.html"
    body = COMPLIANT
    f = fetched(url, body, title='=HYPERLINK("http://evil","klik")\x07')
    verdicts = judge(contest, [entry(2, url, name="=cmd|' /C calc'!A0")], {url: f})
    paths = write_reports(tmp_path, contest, verdicts, [])
    ws = load_workbook(paths["xlsx"])["Laporan"]
    assert ws.cell(2, 2).value.startswith("'=")
    sheet = load_workbook(paths["sheet"])["Penilaian"]
    assert sheet.cell(6, 2).value.startswith("'=")
    with paths["csv"].open(encoding="utf-8-sig", newline="") as fh:
        names = [row[1] for row in csv.reader(fh)][1:]
    assert names == ["'=cmd|' /C calc'!A0"]
