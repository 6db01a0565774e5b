import re

from judging_helpers import BLOGGER_BODY, ROOT, WORDPRESS_BODY

from tangguh.judging.text import body_text, count_words, fold, words

SAMPLE = ROOT / "tests" / "fixtures" / "kampung-tangguh-semeru-blog-entry.txt"


def test_word_rule_on_hand_counted_text():
    # 1 Anak-anak 2 bermain 3 di 4 posko 5 RW 6 05, 7 Covid-19 8 #KampungTangguhSemeru 9 dan/atau 10 "ok"
    text = 'Anak-anak bermain di posko RW 05, - — Covid-19 #KampungTangguhSemeru dan/atau "ok" 🙏'
    assert count_words(text) == 10
    assert words("lihat https://tribratanews.jatim.polri.go.id/x dan www.blitarkota.go.id") == [
        "lihat",
        "dan",
    ]
    assert words("kirim ke (posko.rw05@gmail.com).") == ["kirim", "ke"]
    assert count_words("kata\u00a0kata\u200bkata") == 3


def test_body_text_of_saved_blogger_post_matches_its_plain_text():
    """The real contest entry: counting its HTML body equals counting the author's text."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    body_lines = lines[2 : lines.index("15 Komentar")]
    expected = sum(len(words(line)) for line in body_lines)
    text, hidden = body_text(BLOGGER_BODY)
    assert hidden == 0
    assert count_words(text) == expected
    assert "Peresmian Industri Tangguh" in text  # a caption inside the body counts


def test_hidden_padding_and_platform_furniture_are_not_counted():
    text, hidden = body_text(WORDPRESS_BODY)
    assert hidden == 15
    assert "Bagikan ini" not in text and "Terkait" not in text
    padded = re.sub(r'<span style="display:none">.*?</span>', "", WORDPRESS_BODY)
    assert count_words(body_text(padded)[0]) == count_words(text)


def test_blocks_and_breaks_separate_words():
    text, _ = body_text("<div>satu<br>dua</div><div>tiga</div><p>empat<b>lima</b></p>")
    assert count_words(text) == 4  # "empatlima" is one word, as it renders
    assert text.split("\n")[:3] == ["satu", "dua", "tiga"]


def test_script_style_and_comments_are_dropped():
    text, _ = body_text("<p>satu<script>var a = 1;</script><!-- dua --><style>p{}</style> tiga</p>")
    assert text == "satu tiga"


def test_fold_is_case_and_diacritic_insensitive():
    assert fold("Kampung  TANGGUH\nSémeru") == "kampung tangguh semeru"


def test_screen_reader_and_zero_size_text_is_hidden():
    html = (
        '<p>satu dua</p><p style="font-size:0px">padding padding</p>'
        '<a class="more-link">Baca <span class="screen-reader-text">judul</span></a>'
        '<p style="font-size: 0.9em">tiga</p>'
    )
    text, hidden = body_text(html)
    assert count_words(text) == 4 and hidden == 3
