from dataclasses import replace

from judging_helpers import BLOGGER_BODY, TRIBRATA_LINK, WORDPRESS_BODY, entry, fetched

from tangguh.judging.contest import parse_contest
from tangguh.judging.fetch import FetchedEntry
from tangguh.judging.originality import CorpusIndex, StoredDoc
from tangguh.judging.rules import judge
from tangguh.judging.text import body_text, count_words, words

SUSI = "https://infokampungtangguhsemeru.blogspot.com/2020/06/10-hal-tentang-kampung-tangguh-semeru.html"
DAPUR = "https://dapurwargasentul.wordpress.com/2020/06/26/dapur-umum/"
COMPLIANT = BLOGGER_BODY.replace("</div>\n</div>", "</div>\n" + TRIBRATA_LINK + "\n</div>")


def one(contest, body, url=SUSI, **kwargs):
    f = fetched(url, body, **kwargs)
    return judge(contest, [entry(2, url)], {url: f})[0]


def test_compliant_entry_passes_every_rule_with_evidence(contest):
    v = one(contest, COMPLIANT)
    assert v.eligible and v.fails == []
    assert list(v.checks) == contest.active_rules()
    assert v.checks["window"].evidence == "terbit 25 Juni 2020 10.00 WIB (dalam periode lomba)"
    assert v.checks["min_words"].evidence.startswith(f"{v.word_count} kata (minimal 300)")
    assert v.checks["min_images"].evidence.startswith("2 gambar di isi postingan")
    assert "kampung-tangguh-semeru.jpg" in v.checks["min_images"].evidence
    assert (
        "tribratanews.jatim.polri.go.id/2020/06/24/lomba-blogger/"
        in v.checks["required_links"].evidence
    )
    assert "#KampungTangguhSemeru" in v.checks["required_hashtags"].evidence
    assert '"Kampung Tangguh Semeru"' in v.checks["required_keywords"].evidence
    assert v.checks["platforms"].evidence.startswith("platform blogger")


def test_real_entry_without_organiser_link_fails_only_that_rule(contest):
    v = one(contest, BLOGGER_BODY)
    assert v.fails == ["required_links"]
    assert "tribratanews.jatim.polri.go.id" in v.checks["required_links"].evidence


def test_window_is_compared_in_jakarta_time(contest):
    # 28 June 17:30 UTC is 29 June 00:30 WIB: late, although still 28 June in UTC.
    late = one(contest, COMPLIANT, published="2020-06-28T17:30:00+00:00")
    assert late.fails == ["window"]
    assert late.checks["window"].evidence.startswith("terbit 29 Juni 2020 00.30 WIB, setelah batas")
    early = one(contest, COMPLIANT, published="2020-06-23T19:00:00+07:00")
    assert early.fails == ["window"] and "sebelum periode dibuka" in early.checks["window"].evidence
    last_second = one(contest, COMPLIANT, published="2020-06-28T23:59:59+07:00")
    assert last_second.eligible


def test_date_only_entries_and_missing_dates(contest):
    v = one(contest, COMPLIANT, published="2020-06-28T00:00:00+07:00", precision="day")
    assert v.eligible and "jam tidak diketahui" in v.checks["window"].evidence
    missing = one(contest, COMPLIANT, published=None)
    assert missing.fails == ["window"] and "tidak ditemukan" in missing.checks["window"].evidence


def test_edit_after_deadline_is_flagged_not_failed(contest):
    v = one(contest, COMPLIANT, updated="2020-06-30T08:00:00+07:00")
    assert v.eligible and v.flags == ["edited_after_close"]
    assert "diubah 30 Juni 2020 08.00 WIB, setelah batas" in v.checks["window"].evidence


def _truncate_to(body_words: list[str], n: int) -> str:
    return (
        "<div>" + " ".join(body_words[:n]) + " Kampung Tangguh Semeru #KampungTangguhSemeru</div>"
        '<img src="/foto.jpg">' + TRIBRATA_LINK
    )


def test_290_words_under_a_300_word_rule_is_out(contest):
    source = words(body_text(BLOGGER_BODY)[0])
    link_words = count_words(body_text(TRIBRATA_LINK)[0])
    body = _truncate_to(source, 290 - 4 - link_words)
    v = one(contest, body)
    assert v.word_count == 290
    assert v.fails == ["min_words"]
    assert v.checks["min_words"].evidence == "290 kata (kurang dari minimal 300)"
    assert v.checks["min_words"].data == {"word_count": 290}
    v300 = one(contest, _truncate_to(source, 300 - 4 - link_words))
    assert v300.word_count == 300 and v300.eligible


def test_wordpress_entry_evidence(contest):
    v = one(contest, WORDPRESS_BODY, url=DAPUR, platform="wordpress", title="Dapur umum RW 05")
    assert v.fails == ["min_words"]
    assert "15 kata tersembunyi tidak dihitung" in v.checks["min_words"].evidence
    assert v.flags == ["hidden_text"]
    # lower-case hashtag accepted; the nofollow link is accepted but noted
    assert v.checks["required_hashtags"].passed
    assert "(rel=nofollow)" in v.checks["required_links"].evidence
    # emoji, tracking pixel and related-post thumbnail are not content images
    assert v.checks["min_images"].data["images"] == [
        "https://dapurwargasentul.files.wordpress.com/2020/06/dapur-umum-rw05.jpg?w=1024"
    ]


def test_dofollow_requirement_rejects_nofollow_links(contest):
    strict = replace(contest, rules=replace(contest.rules, required_links_dofollow=True))
    v = one(strict, WORDPRESS_BODY, url=DAPUR, platform="wordpress")
    assert "required_links" in v.fails
    assert "nofollow" in v.checks["required_links"].evidence


def test_missing_hashtag_keyword_image_and_lookalike_link(contest):
    body = (
        "<div>" + " ".join(["kata"] * 320) + "</div>"
        '<a href="https://tribratanews.jatim.polri.go.id.example.net/">tiruan</a>'
    )
    v = one(contest, body, title="Kampung Tangguh Semeru di kampungku")
    assert set(v.fails) == {
        "required_keywords",
        "required_hashtags",
        "required_links",
        "min_images",
    }
    assert "hanya ada di judul" in v.checks["required_keywords"].evidence
    assert v.checks["min_images"].evidence.startswith("0 gambar")


def test_unreachable_entry_is_reported_and_other_rules_not_checked(contest):
    url = "https://hilang.blogspot.com/2020/06/x.html"
    gone = FetchedEntry(url=url, status=404, error="tidak ditemukan (HTTP 404)")
    ok_url = SUSI
    verdicts = judge(
        contest,
        [entry(2, url), entry(3, ok_url)],
        {url: gone, ok_url: fetched(ok_url, COMPLIANT)},
    )
    v = verdicts[0]
    assert v.fails == ["reachable"] and not v.eligible
    assert v.checks["reachable"].evidence == "tidak dapat diakses: tidak ditemukan (HTTP 404)"
    assert all(c.passed is None for n, c in v.checks.items() if n != "reachable")
    assert verdicts[1].eligible


def test_one_entry_per_email_fails_the_later_submission(contest):
    a = "https://susi.blogspot.com/2020/06/a.html"
    b = "https://susi2.wordpress.com/2020/06/26/b/"
    entries = [
        entry(3, b, email="Susi.Ernawati+lomba@gmail.com", submitted="2020-06-26T09:00:00+07:00"),
        entry(2, a, email="susiernawati@gmail.com", submitted="2020-06-25T09:00:00+07:00"),
    ]
    got = {a: fetched(a, COMPLIANT), b: fetched(b, COMPLIANT.replace("Semangat pagi", "Halo"))}
    contest = replace(contest, rules=replace(contest.rules, max_similarity=None))
    later, first = judge(contest, entries, got)
    assert first.checks["one_entry_per"].passed
    assert later.fails == ["one_entry_per"]
    assert "entri pertama di baris 2" in later.checks["one_entry_per"].evidence


def _copy_with_new_opening(body: str) -> str:
    start = body.index("<div", 5)
    end = body.index("</div>", start) + len("</div>")
    fresh = (
        '<div style="text-align: justify;">Halo pembaca setia, kali ini saya ingin bercerita '
        "tentang program yang sedang ramai dibicarakan warga kampung kami di Sananwetan.</div>"
    )
    return body[:start] + fresh + body[end:]


def test_copied_entry_fails_similarity_and_the_original_does_not(contest):
    original, copy = SUSI, "https://penyalin.blogspot.com/2020/06/kampung-tangguh.html"
    got = {
        original: fetched(original, COMPLIANT, published="2020-06-25T10:00:00+07:00"),
        copy: fetched(
            copy, _copy_with_new_opening(COMPLIANT), published="2020-06-27T20:00:00+07:00"
        ),
    }
    # the copier submitted first: publication order decides who copied whom
    entries = [
        entry(2, copy, submitted="2020-06-27T21:00:00+07:00"),
        entry(3, original, submitted="2020-06-28T08:00:00+07:00"),
    ]
    copied, first = judge(contest, entries, got)
    assert first.eligible
    assert "lebih akhir" in first.checks["max_similarity"].evidence
    assert copied.fails == ["max_similarity"]
    data = copied.checks["max_similarity"].data["most_similar_entry"]
    assert data["url"] == original and 0.6 < data["score"] < 1.0
    assert "baris 3" in copied.checks["max_similarity"].evidence


def test_similarity_against_stored_documents(contest):
    release = (
        "Pemerintah Kota Blitar meluncurkan Kampung Tangguh Semeru di Kelurahan Sentul. "
        "Wali Kota Santoso meminta warga menjaga protokol kesehatan dan mengisi lumbung pangan. "
        "Setiap RW menyiapkan ruang isolasi, dapur umum, dan posko jaga bersama Babinsa."
    ) * 3
    url = "https://salin.blogspot.com/2020/06/rilis.html"
    body = f"<div>{release}</div><div>#KampungTangguhSemeru</div>"
    corpus = CorpusIndex(
        [
            StoredDoc("https://blitarkota.go.test/berita/kampung-tangguh", release, "Rilis", None),
            StoredDoc(url, release, "the entry itself, already crawled", None),
        ]
    )
    v = judge(contest, [entry(2, url)], {url: fetched(url, body)}, corpus=corpus)[0]
    assert "max_similarity" in v.fails
    doc = v.checks["max_similarity"].data["most_similar_document"]
    assert doc["url"] == "https://blitarkota.go.test/berita/kampung-tangguh"
    clean = judge(contest, [entry(2, SUSI)], {SUSI: fetched(SUSI, COMPLIANT)}, corpus=corpus)[0]
    assert clean.checks["max_similarity"].passed


def test_platform_rule(contest):
    only_blogger = parse_contest({"contest": {"name": "x"}, "rules": {"platforms": ["blogger"]}})
    v = one(only_blogger, WORDPRESS_BODY, url=DAPUR, platform="wordpress")
    assert v.fails == ["platforms"]
    assert "tidak diizinkan" in v.checks["platforms"].evidence


def test_wordpress_permalink_day_is_used_when_the_page_shows_no_date(contest):
    url = "https://warga.wordpress.com/2020/06/29/kampung-tangguh/"
    v = one(contest, COMPLIANT, url=url, published=None, platform="wordpress")
    assert v.fails == ["window"]
    assert v.checks["window"].evidence.startswith(
        "terbit 29 Juni 2020 (dari URL; jam tidak diketahui)"
    )


def test_a_corrected_resubmission_is_not_a_second_entry(contest):
    typo = "https://susi.blogspot.com/2020/06/salah-ketik.html"
    fixed = "https://susi.blogspot.com/2020/06/10-hal.html"
    entries = [
        entry(2, typo, email="susi@mail.test", submitted="2020-06-25T09:00:00+07:00"),
        entry(3, fixed, email="susi@mail.test", submitted="2020-06-25T09:05:00+07:00"),
    ]
    got = {typo: FetchedEntry(url=typo, status=404, error="tidak ditemukan (HTTP 404)"),
           fixed: fetched(fixed, COMPLIANT)}  # fmt: skip
    dead, alive = judge(contest, entries, got)
    assert dead.fails == ["reachable"] and alive.eligible


def test_one_entry_per_site_merges_blogger_country_domains(contest):
    per_site = replace(
        contest, rules=replace(contest.rules, one_entry_per="site", max_similarity=None)
    )
    a = "https://susi.blogspot.com/2020/06/a.html"
    b = "https://susi.blogspot.co.id/2020/06/b.html"
    entries = [entry(2, a, submitted="2020-06-25T09:00:00+07:00"),
               entry(3, b, submitted="2020-06-26T09:00:00+07:00")]  # fmt: skip
    first, second = judge(per_site, entries, {a: fetched(a, COMPLIANT), b: fetched(b, COMPLIANT)})
    assert first.checks["one_entry_per"].passed
    assert second.fails == ["one_entry_per"]
    assert "blog susi.blogspot.com" in second.checks["one_entry_per"].evidence


def test_other_platform_admits_own_domains_and_kompasiana(contest):
    url = "https://www.kompasiana.com/susi/5ef5a1/kampung-tangguh-semeru"
    v = one(contest, COMPLIANT, url=url, platform="generic")
    assert v.checks["platforms"].passed and v.checks["platforms"].data == {"platform": "kompasiana"}
    only_wp = replace(contest, rules=replace(contest.rules, platforms=("wordpress",)))
    assert one(only_wp, COMPLIANT, url=url, platform="generic").fails == ["platforms"]


def test_page_without_a_recognised_body_needs_a_manual_check(contest):
    v = one(contest, "   ")
    assert v.fails == ["reachable"]
    assert "isi postingan tidak terbaca" in v.checks["reachable"].evidence
