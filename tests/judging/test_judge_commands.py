"""The Typer commands over a fake fetcher: files written, messages, exit codes."""

import json
import shutil

import pytest
from judging_helpers import (
    BLOGGER_BODY,
    EXAMPLE_CONTEST,
    TRIBRATA_LINK,
    WORDPRESS_BODY,
    FakeFetcher,
    fetched,
)
from openpyxl import load_workbook
from typer.testing import CliRunner

from tangguh.judging import commands
from tangguh.judging.scoresheet import FIRST_ROW

COMPLIANT = BLOGGER_BODY.replace("</div>\n</div>", "</div>\n" + TRIBRATA_LINK + "\n</div>")
A = "https://susi.blogspot.com/2020/06/10-hal.html"
B = "https://yudha.blogspot.com/2020/06/bendo.html"
DEAD = "https://hilang.blogspot.com/2020/06/x.html"
FORM = (
    "Stempel waktu,Nama Lengkap,Alamat Email,URL Postingan\n"
    f"25/06/2020 10:32:00,Susi,susi@mail.test,{A}\n"
    "25/06/2020 11:00:00,Andri,andri@mail.test,blog saya\n"
    f"26/06/2020 13:41:00,Yudha,yudha@mail.test,{B}\n"
    f"26/06/2020 13:41:00,Yudha,yudha@mail.test,{B}\n"
    f"27/06/2020 09:00:00,Rina,rina@mail.test,{DEAD}\n"
)


EXTRA = (
    "<p>Bulan pertama memang paling berat. Banyak warga belum percaya bahwa virus ini nyata, "
    "dan sebagian merasa malu ketika harus melapor setelah pulang dari luar kota. Pengurus RT "
    "lalu membuat cara sederhana: setiap pendatang cukup mengirim pesan ke grup WhatsApp kampung, "
    "lalu relawan mengantar formulir ke rumahnya. Tidak ada yang dipermalukan, tidak ada yang "
    "diusir. Lama-lama warga sendiri yang mengingatkan tetangganya. Anak-anak muda membuat jadwal "
    "ronda, bapak-bapak memperbaiki tempat cuci tangan di mulut gang, dan para guru mengajari "
    "anak-anak belajar daring di teras masjid yang punya sinyal paling bagus. Dari situ saya "
    "belajar bahwa ketangguhan sebuah kampung tidak lahir dari spanduk, melainkan dari kebiasaan "
    "kecil yang dilakukan bersama setiap hari.</p>"
)


def second_body() -> str:
    """A different entry: the saved WordPress body plus a paragraph, over 300 words."""
    return WORDPRESS_BODY.replace("<p>#kampungtangguhsemeru", EXTRA + "<p>#kampungtangguhsemeru")


@pytest.fixture
def fake(monkeypatch):
    fetcher = FakeFetcher(
        {A: fetched(A, COMPLIANT), B: fetched(B, second_body(), title="Bendo", author="Yudha")}
    )
    monkeypatch.setattr(commands, "make_fetcher", lambda allow_private: fetcher)
    return fetcher


@pytest.fixture
def files(tmp_path):
    contest = tmp_path / "lomba.toml"
    shutil.copy(EXAMPLE_CONTEST, contest)
    form = tmp_path / "entri.csv"
    form.write_text(FORM, encoding="utf-8")
    return contest, form


def invoke(*args):
    return CliRunner().invoke(commands.app, [str(a) for a in args])


def test_run_judges_valid_rows_and_reports_bad_ones(fake, files):
    contest, form = files
    result = invoke("run", contest, "--entries", form, "--no-store")
    assert result.exit_code == 3, result.output  # judged, but two rows were not
    assert "baris 3: bukan URL" in result.output
    assert "baris 5: baris ganda" in result.output
    out = contest.parent / "lomba-judging"  # default: next to the contest file
    records = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [r["row"] for r in records] == [2, 4, 6]
    assert fake.calls == [[A, B, DEAD]]
    assert [r["eligible"] for r in records] == [True, True, False]
    assert records[2]["fails"] == ["reachable"]
    said = " ".join(result.output.split())
    assert (
        "penjurian selesai sebagian (kode 3): 3 entri dinilai, 2 lolos, 1 tidak lolos "
        "(1 tidak dapat diambil), 2 baris tidak dinilai" in said
    )
    assert f"baris 6 {DEAD}: tidak dapat diakses: tidak ditemukan (HTTP 404)" in said


def test_run_refuses_bad_contest_and_unusable_csv(fake, files, tmp_path):
    contest, form = files
    bad = tmp_path / "salah.toml"
    bad.write_text('[contest]\nname = "x"\n[rules]\nmin_word = 300\n', encoding="utf-8")
    result = invoke("run", bad, "--entries", form)
    assert result.exit_code == 4 and "min_word" in result.output
    no_url = tmp_path / "tanpa-url.csv"
    no_url.write_text("Nama,Email\nSusi,susi@mail.test\n", encoding="utf-8")
    result = invoke("run", contest, "--entries", no_url)
    assert result.exit_code == 4 and "kolom URL tidak ditemukan" in result.output


def test_rejudge_from_snapshots_needs_no_network(fake, files, monkeypatch):
    contest, form = files
    assert (
        invoke("run", contest, "--entries", form, "--no-store").exit_code == 3
    )  # the form has two bad rows
    out = contest.parent / "lomba-judging"
    first = json.loads((out / "report.json").read_text(encoding="utf-8"))

    def no_fetcher(allow_private):
        raise AssertionError("must not fetch")

    monkeypatch.setattr(commands, "make_fetcher", no_fetcher)
    again = contest.parent / "ulang"
    result = invoke(
        "run", contest, "--entries", form, "--from-snapshots", out, "--out", again, "--no-store"
    )
    assert result.exit_code == 3, result.output
    second = json.loads((again / "report.json").read_text(encoding="utf-8"))
    assert [r["checks"] for r in second[:2]] == [r["checks"] for r in first[:2]]
    assert second[0]["snapshot"]["sha256"] == first[0]["snapshot"]["sha256"]


def test_rank_command_and_refusal(fake, files):
    contest, form = files
    invoke("run", contest, "--entries", form, "--no-store")
    out = contest.parent / "lomba-judging"
    sheets = []
    for judge, base in (("Juri A", 80), ("Juri B", 60)):
        path = out / f"{judge}.xlsx"
        shutil.copy(out / "score-sheet.xlsx", path)
        wb = load_workbook(path)
        ws = wb["Penilaian"]
        ws["B3"] = judge
        for r in range(FIRST_ROW, FIRST_ROW + 2):  # two eligible entries
            for c in range(3, 6):
                ws.cell(r, c, base + r)
        wb.save(path)
        sheets.append(path)
    result = invoke("rank", contest, *sheets)
    assert result.exit_code == 0, result.output
    ranking = (out / "ranking.csv").read_text(encoding="utf-8-sig")
    assert ranking.splitlines()[0].startswith("Peringkat,Seri,Nomor naskah,Nilai akhir")
    assert A in ranking and B in ranking
    wb = load_workbook(sheets[1])
    wb["Penilaian"].cell(FIRST_ROW, 2, "judul diganti")
    wb.save(sheets[1])
    result = invoke("rank", contest, *sheets)
    assert result.exit_code == 4 and "diubah di luar sel nilai" in result.output


def test_recheck_command_exit_codes(fake, files, monkeypatch):
    contest, form = files
    invoke("run", contest, "--entries", form, "--no-store")
    result = invoke("recheck", contest)
    assert result.exit_code == 0, result.output
    assert "3 entri dicek, 0 berubah/hilang" in result.output
    del fake.entries[B]
    result = invoke("recheck", contest)
    assert result.exit_code == 7
    assert "baris 4" in result.output and "hilang" in result.output
    assert invoke("recheck", contest, "--out", contest.parent / "tidak-ada").exit_code == 4


def test_markup_in_hostile_cells_is_printed_literally(fake, files):
    contest, form = files
    form.write_text(
        form.read_text(encoding="utf-8")
        + "27/06/2020 10:00:00,X,x@mail.test,[bold]bukan url[/bold]\n",
        encoding="utf-8",
    )
    result = invoke("run", contest, "--entries", form, "--no-store")
    assert result.exit_code == 3, result.output
    assert "[bold]bukan url[/bold]" in result.output
