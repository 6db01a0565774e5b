"""Canonical URLs: every variant of one page collapses to one key, comments keep their id."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipelines.canonical import canonical_url, site_of

POST = "https://kampungtangguh-semeru.blogspot.com/2020/06/10-hal-tentang-kampung-tangguh.html"
WP = "https://warga-sentul.wordpress.com/2020/06/18/rilis-kampung-tangguh"


@pytest.mark.parametrize(
    "variant",
    [
        POST,
        "HTTPS://KampungTangguh-Semeru.Blogspot.COM/2020/06/10-hal-tentang-kampung-tangguh.html",
        "https://www.kampungtangguh-semeru.blogspot.com/2020/06/10-hal-tentang-kampung-tangguh.html",
        "https://kampungtangguh-semeru.blogspot.com:443/2020/06/10-hal-tentang-kampung-tangguh.html",
        POST + "?m=1",
        POST + "?m=0",
        POST + "#more",
        POST + "?showComment=1593090120000#c5793641111",
        POST + "?utm_source=facebook&utm_medium=social&utm_campaign=lomba",
        POST + "?fbclid=IwAR0abc",
        POST + "?gclid=Cj0KCQ&m=1",
        POST + "?spref=fb&m=1",
        POST.replace(".blogspot.com", ".blogspot.co.id"),
        POST.replace(".blogspot.com", ".blogspot.sg"),
        POST + ";jsessionid=0A1B2C",
        "  " + POST + "  ",
        POST.replace("/10-hal", "/./10-hal"),
        POST.replace("2020/06/", "2020/x/../06/"),
        "https://kampungtangguh-semeru.blogspot.com/2020/06/10-hal-tentang-kampung-tangguh.amp.html",
    ],
)
def test_blogger_variants_collapse(variant: str) -> None:
    assert canonical_url(variant) == POST


@pytest.mark.parametrize(
    "variant",
    [
        WP + "/",
        WP + "/amp/",
        WP + "/?amp=1",
        WP + "/?amp",
        "https://amp.warga-sentul.wordpress.com/2020/06/18/rilis-kampung-tangguh/",
        WP + "/?replytocom=45#respond",
        WP + "/#comment-45",
        WP + "/index.php",
        WP + "/comment-page-3/",
        "http://warga-sentul.wordpress.com:80/2020/06/18/rilis-kampung-tangguh/".replace(
            "http:", "https:"
        ).replace(":80", ":443"),
        "https://warga--sentul-wordpress-com.cdn.ampproject.org/c/s/warga-sentul.wordpress.com"
        "/2020/06/18/rilis-kampung-tangguh/amp/",
    ],
)
def test_wordpress_and_amp_variants_collapse(variant: str) -> None:
    assert canonical_url(variant) == WP


def test_query_is_sorted_and_meaningful_parameters_stay() -> None:
    assert canonical_url("https://x.test/berita?page=2&cat=7&utm_term=a") == (
        "https://x.test/berita?cat=7&page=2"
    )
    # WordPress month archives use ?m=YYYYMM: only Blogger's 0/1 switch is dropped.
    assert canonical_url("https://x.test/?m=202006") == "https://x.test/?m=202006"
    assert canonical_url("https://x.test/?p=3093") == "https://x.test/?p=3093"


def test_non_default_ports_and_index_pages() -> None:
    assert canonical_url("http://Sample.test:8123/index.html") == "http://sample.test:8123/"
    assert canonical_url("http://127.0.0.1:8123") == "http://127.0.0.1:8123/"
    assert canonical_url("http://x.test/berita/index.htm") == "http://x.test/berita"


def test_scheme_is_kept_but_lower_cased() -> None:
    assert canonical_url("HTTP://x.test/a") == "http://x.test/a"
    assert canonical_url("https://x.test/a") == "https://x.test/a"


def test_percent_encoding_is_normalised() -> None:
    assert canonical_url("https://x.test/%7Euser/%e2%82%ac") == "https://x.test/~user/%E2%82%AC"
    assert canonical_url("https://x.test/kampung tangguh/café") == (
        "https://x.test/kampung%20tangguh/caf%C3%A9"
    )


def test_credentials_are_dropped_and_idn_hosts_encoded() -> None:
    assert canonical_url("https://user:secret@x.test/a") == "https://x.test/a"
    assert canonical_url("https://bücher.test/a") == "https://xn--bcher-kva.test/a"


# ---------------------------------------------------------------- comments


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (POST + "?showComment=1593090120000#c5793641111", POST + "#c5793641111"),
        (POST + "?m=1&showComment=1593090120000#c5793641111", POST + "#c5793641111"),
        (POST + "?showComment=1593090120000", POST + "?showComment=1593090120000"),
        (POST + "#c5793641111", POST + "#c5793641111"),
        (WP + "/#comment-45", WP + "#comment-45"),
        (WP + "/#li-comment-45", WP + "#comment-45"),
        (WP + "/?replytocom=45#respond", WP + "#comment-45"),
        (WP + "/amp/#comment-45", WP + "#comment-45"),
        (WP + "/comment-page-2/#comment-45", WP + "#comment-45"),
    ],
)
def test_comment_permalinks_keep_what_identifies_the_comment(url: str, expected: str) -> None:
    assert canonical_url(url, kind="comment") == expected
    assert canonical_url(url, kind="comment") != canonical_url(url)


@pytest.mark.parametrize("url", [POST, POST + "#comments", WP + "/#respond", POST + "?m=1"])
def test_comment_url_without_an_id_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="identifies no comment"):
        canonical_url(url, kind="comment")


def test_comment_follows_the_page_canonical_of_its_post() -> None:
    got = canonical_url(
        "https://kampungtangguh-semeru.blogspot.com/2020/06/x.html?m=1&showComment=1#c2",
        page_canonical=POST,
        kind="comment",
    )
    assert got == POST + "#c2"


# ---------------------------------------------------------------- page canonical


def test_same_site_page_canonical_wins() -> None:
    got = canonical_url(
        "https://kampungtangguh-semeru.blogspot.com/2020/06/x.html?m=1",
        page_canonical="https://www.kampungtangguh-semeru.blogspot.com/2020/06/10-hal-tentang-kampung-tangguh.html",
    )
    assert got == POST


def test_relative_page_canonical_is_resolved() -> None:
    got = canonical_url("https://x.test/berita/123?page=1", page_canonical="/berita/123-judul")
    assert got == "https://x.test/berita/123-judul"


@pytest.mark.parametrize(
    "page_canonical",
    [
        "https://other-site.test/2020/06/copy.html",  # cross-site: syndication, not identity
        "https://x.test/",  # a theme that points every page at the home page
        "javascript:alert(1)",
        "",
        None,
    ],
)
def test_unusable_page_canonical_is_ignored(page_canonical: str | None) -> None:
    url = "https://x.test/2020/06/own-post.html"
    assert canonical_url(url, page_canonical=page_canonical) == url


# ---------------------------------------------------------------- errors and site_of


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "/2020/06/x.html",
        "x.test/2020/06/x.html",
        "ftp://x.test/file",
        "file:///etc/passwd",
        "mailto:humas@x.test",
        "javascript:alert(1)",
        "http://",
        "https://x.test:99999/",
        "http://[::1",
    ],
)
def test_non_http_absolute_urls_raise_a_clear_error(bad: str) -> None:
    with pytest.raises(ValueError, match="not an absolute http"):
        canonical_url(bad)


def test_non_string_raises_value_error() -> None:
    with pytest.raises(ValueError):
        canonical_url(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://WWW.Kominfo.JatimProv.go.id/berita", "kominfo.jatimprov.go.id"),
        ("http://kampungtangguh-semeru.blogspot.test:8123/", "kampungtangguh-semeru.blogspot.test"),
        ("https://amp.kompas.com/read/x", "kompas.com"),
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


# ---------------------------------------------------------------- properties

_hosts = st.sampled_from(
    ["x.test", "WWW.Blog.Blogspot.com", "amp.kompas.com", "127.0.0.1", "[::1]", "bücher.test"]
)
_segment = st.one_of(
    st.text(alphabet=st.sampled_from(list("abcXYZ019-._~%/ é€+&=;:@!$'()*,?#")), max_size=12),
    st.sampled_from(["amp", "index.html", ".", "..", "x.amp.html", "%7E", "%e2%82%ac"]),
)
_param = st.tuples(
    st.sampled_from(["utm_source", "m", "amp", "showComment", "replytocom", "page", "q", "A"]),
    st.text(alphabet=st.sampled_from(list("01aZ é%+&=/")), max_size=6),
)


@st.composite
def _urls(draw) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    host = draw(_hosts)
    port = draw(st.sampled_from(["", ":80", ":443", ":8123"]))
    path = "/" + "/".join(draw(st.lists(_segment, max_size=4)))
    params = draw(st.lists(_param, max_size=4))
    query = "&".join(f"{k}={v}" for k, v in params)
    fragment = draw(st.sampled_from(["", "#c123", "#comment-9", "#more", "#x y", "#li-comment-4"]))
    return f"{scheme}://{host}{port}{path}" + (f"?{query}" if query else "") + fragment


@settings(max_examples=400, deadline=None)
@given(url=_urls(), kind=st.sampled_from(["post", "article", "comment"]))
def test_canonicalisation_is_idempotent(url: str, kind: str) -> None:
    try:
        once = canonical_url(url, kind=kind)
    except ValueError:
        assume(False)
        return
    assert canonical_url(once, kind=kind) == once
    assert once.isascii()
    parts = urlsplit(once)
    assert parts.scheme in ("http", "https") and parts.hostname
    if kind != "comment":
        assert not parts.fragment
        assert not any(k.lower().startswith("utm_") for k, _ in parse_qsl(parts.query))


@settings(max_examples=200, deadline=None)
@given(url=_urls())
def test_comment_canonical_never_equals_the_post_canonical(url: str) -> None:
    try:
        comment = canonical_url(url, kind="comment")
    except ValueError:
        assume(False)
        return
    assert comment != canonical_url(url)
