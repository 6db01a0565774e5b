from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tangguh.judging.entries import (
    EntriesError,
    canonical_url,
    normalise_url,
    parse_entries,
    read_entries,
)

WIB = ZoneInfo("Asia/Jakarta")

INDONESIAN = (
    "Stempel waktu,Nama Lengkap,Alamat Email,URL Postingan,Asal Kota\n"
    "24/06/2020 08:15:02,Susi Ernawati,susi@example.com,"
    "https://infokampungtangguhsemeru.blogspot.com/2020/06/10-hal.html,Jepara\n"
    "25/06/2020 21:40:11,Achmad Husaini,husaini@example.com,"
    "https://kampungsampang.wordpress.com/2020/06/25/jogo-tonggo/,Sampang\n"
)


def test_indonesian_form_export():
    listing = parse_entries(INDONESIAN, tz=WIB)
    assert listing.problems == []
    assert listing.columns == {
        "timestamp": "Stempel waktu",
        "name": "Nama Lengkap",
        "email": "Alamat Email",
        "url": "URL Postingan",
    }
    first, second = listing.entries
    assert (first.row, second.row) == (2, 3)
    assert first.name == "Susi Ernawati" and first.email == "susi@example.com"
    assert first.submitted == datetime(2020, 6, 24, 8, 15, 2, tzinfo=WIB)
    assert first.extra == {"Asal Kota": "Jepara"}


def test_english_export_uses_month_first_timestamps():
    text = (
        "Timestamp,Name,Email Address,Link\n"
        "6/24/2020 8:15:02,Andri,andri@example.com,https://a.blogspot.com/2020/06/a.html\n"
        "6/5/2020 10:00:00,Bibin,bibin@example.com,https://b.blogspot.com/2020/06/b.html\n"
    )
    listing = parse_entries(text, tz=WIB)
    assert [e.submitted.day for e in listing.entries] == [24, 5]
    assert listing.entries[1].submitted.month == 6


def test_excel_semicolon_cp1252_file(tmp_path):
    path = tmp_path / "entri.csv"
    text = "Nama;Email;Link\r\nWawan Supriyadi;wawan@example.com;https://wawan.blogspot.com/2020/06/x.html\r\nJosé;jose@example.com;https://jose.blogspot.com/2020/06/y.html\r\n"
    path.write_bytes(text.encode("cp1252"))
    listing = read_entries(path)
    assert [e.name for e in listing.entries] == ["Wawan Supriyadi", "José"]


def test_missing_url_column_is_a_clear_error_listing_headers():
    text = "Stempel waktu,Nama,Email\n24/06/2020 08:00:00,Susi,susi@example.com\n"
    with pytest.raises(EntriesError) as info:
        parse_entries(text, tz=WIB)
    message = str(info.value)
    assert "kolom URL tidak ditemukan" in message
    assert "'Nama'" in message and "--url-column" in message


def test_unlabelled_url_column_is_found_by_content_with_warning():
    text = (
        "Stempel waktu,Nama,Tulisan yang diikutkan\n"
        "24/06/2020 08:00:00,Susi,https://susi.blogspot.com/2020/06/a.html\n"
        "24/06/2020 09:00:00,Andri,https://andri.blogspot.com/2020/06/b.html\n"
    )
    listing = parse_entries(text, tz=WIB)
    assert listing.columns["url"] == "Tulisan yang diikutkan"
    assert len(listing.entries) == 2
    assert listing.problems[0].row is None and listing.problems[0].level == "warning"


def test_url_column_option():
    text = "Nama,Blog,Postingan lomba\nSusi,https://susi.blogspot.com/,https://susi.blogspot.com/2020/06/a.html\n"
    listing = parse_entries(text, url_column="postingan lomba", tz=WIB)
    assert listing.entries[0].url == "https://susi.blogspot.com/2020/06/a.html"
    with pytest.raises(EntriesError, match="Tautan"):
        parse_entries(text, url_column="Tautan", tz=WIB)


MALFORMED = (
    "Stempel waktu,Nama,Email,URL Postingan\n"
    "24/06/2020 08:00:00,Susi,susi@example.com,https://susi.blogspot.com/2020/06/a.html\n"
    "24/06/2020 08:05:00,Andri,andri@example.com,blog saya di blogspot\n"
    "24/06/2020 08:06:00,Bibin,bibin@example.com,\n"
    "24/06/2020 08:07:00,Wawan,wawan@example.com,htps//wawan.blogspot.com/x.html\n"
    "24/06/2020 08:00:00,Susi,susi@example.com,https://susi.blogspot.com/2020/06/a.html\n"
    "25/06/2020 10:00:00,Rina,rina@example.com,https://susi.blogspot.com/2020/06/a.html?m=1\n"
    ",,,\n"
    "25/06/2020 11:00:00,Dimas,dimas@example.com,dimas.blogspot.com/2020/06/c.html\n"
    "25/06/2020 12:00:00,Eka,eka@example.com,Ini link saya: https://eka.wordpress.com/2020/06/25/d/ terima kasih\n"
    "25/06/2020 13:00:00,Fajar,fajar@example.com,javascript:alert(1)\n"
)


def test_malformed_rows_get_row_numbers_and_valid_rows_are_kept():
    listing = parse_entries(MALFORMED, tz=WIB)
    errors = {p.row: p.message for p in listing.errors}
    assert set(errors) == {3, 4, 5, 6, 7, 11}
    assert "bukan URL" in errors[3]
    assert "URL kosong" in errors[4]
    assert "baris ganda" in errors[6] and "baris 2" in errors[6]
    assert "URL ganda" in errors[7] and "baris 2" in errors[7]
    assert "skema" in errors[11]
    assert [e.row for e in listing.entries] == [2, 9, 10]
    assert listing.entries[1].url == "https://dimas.blogspot.com/2020/06/c.html"
    assert listing.entries[2].url == "https://eka.wordpress.com/2020/06/25/d/"
    warnings = {p.row for p in listing.problems if p.level == "warning"}
    assert warnings == {9, 10}
    assert str(listing.errors[0]).startswith("baris 3: ")


@pytest.mark.parametrize(
    "raw",
    ["https://", "http://localhost:abc/x", "https://bad host.com/x", "ftp://files.example.com/a"],
)
def test_broken_urls_are_refused(raw):
    url, message, _ = normalise_url(raw)
    assert url is None and message


def test_home_page_url_is_judged_with_a_warning():
    url, message, level = normalise_url("https://susi.blogspot.com")
    assert url == "https://susi.blogspot.com/"
    assert "beranda" in message and level == "warning"


def test_canonical_url_merges_spellings_of_one_post():
    a = canonical_url("https://susi.blogspot.com/2020/06/a.html")
    assert canonical_url("http://susi.blogspot.co.id/2020/06/a.html?m=1") == a
    assert canonical_url("https://www.susi.blogspot.com/2020/06/a.html?utm_source=wa#c1") == a
    assert canonical_url("https://susi.blogspot.com/2020/06/b.html") != a


def test_google_forms_own_csv_timestamp_with_offset():
    text = (
        '"Timestamp","Email Address","Link postingan"\n'
        '"2020/06/24 8:15:02 PM GMT+7","a@mail.test","https://a.blogspot.com/2020/06/a.html"\n'
        '"2020/06/24 1:00:00 PM GMT+0","b@mail.test","https://b.blogspot.com/2020/06/b.html"\n'
    )
    first, second = parse_entries(text, tz=WIB).entries
    assert first.submitted == datetime(2020, 6, 24, 20, 15, 2, tzinfo=WIB)
    assert second.submitted == datetime(2020, 6, 24, 20, 0, 0, tzinfo=WIB)


def test_cell_with_two_urls_uses_the_post_with_a_warning():
    url, message, level = normalise_url(
        "blog: https://susi.blogspot.com/ tulisan: https://susi.blogspot.com/2020/06/a.html"
    )
    assert url == "https://susi.blogspot.com/2020/06/a.html"  # the post, not the home page
    assert "lebih dari satu URL" in message and level == "warning"
