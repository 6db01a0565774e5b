"""Helpers for the judging tests: the real example contest, saved bodies, a fake fetcher."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from tangguh.judging.entries import Entry
from tangguh.judging.fetch import FetchedEntry, finish_entry

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_CONTEST = ROOT / "examples" / "contest.toml"
BLOGGER_BODY = (FIXTURES / "blogger-10-hal-body.html").read_text(encoding="utf-8")
WORDPRESS_BODY = (FIXTURES / "wordpress-dapur-umum-body.html").read_text(encoding="utf-8")
TRIBRATA_LINK = (
    '<p>Sumber: <a href="https://tribratanews.jatim.polri.go.id/2020/06/24/lomba-blogger/">'
    "Tribratanews Jatim</a></p>"
)


def judge_run_real(form: Path, out: Path, monkeypatch) -> Any:
    """`tangguh judge run` on the example contest over ``form`` with the real Scrapy fetcher
    (the sample web's private addresses allowed, nothing stored); the CliRunner result."""
    from typer.testing import CliRunner

    from tangguh.judging import commands
    from tangguh.judging.fetch import ScrapyEntryFetcher

    monkeypatch.setattr(
        commands,
        "make_fetcher",
        lambda allow_private: ScrapyEntryFetcher(allow_private=allow_private),
    )
    args = ["run", str(EXAMPLE_CONTEST), "--entries", str(form), "--out", str(out)]
    return CliRunner().invoke(commands.app, [*args, "--allow-private", "--no-store"])


class FakeFetcher:
    """An EntryFetcher over prepared FetchedEntry objects (URL -> entry)."""

    def __init__(self, entries: dict[str, FetchedEntry]) -> None:
        self.entries = entries
        self.calls: list[list[str]] = []

    def fetch(self, urls: list[str], *, on_entry=None) -> dict[str, FetchedEntry]:
        self.calls.append(list(urls))
        out = {
            u: self.entries.get(u)
            or FetchedEntry(url=u, error="tidak ditemukan (HTTP 404)", status=404)
            for u in urls
        }
        for got in out.values():
            if on_entry is not None:
                on_entry(got)
        return out


def fetched(
    url: str,
    body_html: str,
    *,
    published: str | None = "2020-06-25T10:00:00+07:00",
    updated: str | None = None,
    platform: str = "blogger",
    title: str = "10 Hal tentang Kampung Tangguh Semeru",
    author: str | None = "Susi",
    precision: str = "second",
) -> FetchedEntry:
    host = url.split("/")[2]
    return finish_entry(
        FetchedEntry(
            url=url,
            final_url=url,
            status=200,
            platform=platform,
            title=title,
            author=author,
            site=host,
            published_raw=published,
            published=datetime.fromisoformat(published) if published else None,
            published_precision=precision,
            updated=datetime.fromisoformat(updated) if updated else None,
            body_html=body_html,
            fetched_at=datetime.fromisoformat("2020-07-01T09:00:00+07:00"),
        )
    )


def entry(row: int, url: str, *, email: str | None = None, name: str | None = None,
          submitted: str | None = None) -> Entry:  # fmt: skip
    return Entry(
        row=row,
        url=url,
        url_raw=url,
        name=name or f"Peserta {row}",
        email=email or f"peserta{row}@example.com",
        submitted=datetime.fromisoformat(submitted) if submitted else None,
    )
