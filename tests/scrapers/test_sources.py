"""sources.toml loading: the shipped file is valid, and bad files name the key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.sources import SourcesError, load_sources, parse_sources, select_sources

ROOT = Path(__file__).resolve().parents[2]

GOOD = """
[[source]]
name = "semeru-blog"
kind = "blogger"
start_urls = ["https://kampungtangguh-semeru.blogspot.com/"]
topic = ["kampung tangguh"]

[[source]]
name = "kominfo"
kind = "news"
start_urls = ["https://kominfo.jatimprov.go.id/berita"]
[source.selectors]
body = ".isi-berita"
drop = [".share"]
"""


def test_shipped_default_file_loads() -> None:
    sources = load_sources(ROOT / "sources.toml")
    names = {s.name for s in sources}
    assert {"kominfo-jatim", "kec-kepanjenkidul", "info-kts-blog"} <= names
    assert {s.kind for s in sources} == {"blogger", "wordpress", "news"}
    assert any(h.endswith("blitarkota.go.id") for s in sources for h in s.allowed_domains)


def test_good_file_defaults_domains_from_start_urls() -> None:
    blog, news = parse_sources(GOOD)
    assert blog.allowed_domains == ["kampungtangguh-semeru.blogspot.com"]
    assert blog.topic == ["kampung tangguh"]
    assert news.selectors == {"body": ".isi-berita", "drop": [".share"]}
    assert [s.name for s in select_sources([blog, news], ["kominfo"])] == ["kominfo"]
    with pytest.raises(SourcesError, match="unknown source"):
        select_sources([blog, news], ["nope"])


@pytest.mark.parametrize(
    ("edit", "key", "line"),
    [
        (('kind = "news"', 'kind = "forum"'), "kind", 10),
        (('body = ".isi-berita"', 'body = ""'), "body", 13),
        (('topic = ["kampung tangguh"]', 'topic = "kampung tangguh"\ncolour = "red"'), "colour", 7),
        (
            (
                'start_urls = ["https://kominfo.jatimprov.go.id/berita"]',
                'start_urls = ["file:///etc/passwd"]',
            ),
            "start_urls",
            11,
        ),
        (('name = "kominfo"', 'name = "semeru-blog"'), "name", 9),
    ],
)
def test_bad_file_names_key_and_line(edit: tuple[str, str], key: str, line: int) -> None:
    text = GOOD.replace(*edit)
    with pytest.raises(SourcesError) as info:
        parse_sources(text, origin="sources.toml")
    message = str(info.value)
    assert repr(key) in message or key in message
    assert f"line {line}" in message


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nname = "x\nkind = "news"\n', encoding="utf-8")
    with pytest.raises(SourcesError, match=r"line 2"):
        load_sources(path)
    with pytest.raises(SourcesError, match="cannot read"):
        load_sources(tmp_path / "missing.toml")


def test_sample_web_sources_parse() -> None:
    server = pytest.importorskip("tangguh.sampleweb.server")
    web = server.SampleWeb()
    sources = parse_sources(web.sources_toml())
    assert {s.kind for s in sources} == {"blogger", "wordpress", "news"}
