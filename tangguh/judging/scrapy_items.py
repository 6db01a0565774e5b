"""One entry as its own request chain fetched it: a `UrlOutcome` made into a `FetchedEntry`.

The crawl follows each entry URL's own requests (`scrapers.outcomes`): redirects, retries and
comment pages all belong to the entry that asked. So the post judged for an entry is the post
its own request produced, whatever address the page gives itself (a custom domain naming the
blogspot address, a mirror, an archived or copied page); the address it claims on another host
is kept (`declared`) for the committee to look at. An entry without a post gets the outcome's
reason, in Indonesian.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Any

from scrapers.items import DocumentItem
from scrapers.outcomes import SUCCESS, UrlOutcome

from .fetch import FetchedEntry, finish_entry

_STATUS = {
    401: "blog privat atau perlu login (HTTP 401)",
    403: "akses ditolak, mungkin blog privat (HTTP 403)",
    404: "tidak ditemukan (HTTP 404)",
    410: "sudah dihapus (HTTP 410)",
    429: "server menolak karena terlalu banyak permintaan (HTTP 429)",
}
# The reasons of `scrapers.outcomes`, for the committee.
REASONS = {
    "private_address": "alamat privat/lokal ditolak ({detail}); pakai --allow-private hanya "
    "untuk web contoh atau uji",
    "scheme": "hanya URL http/https yang diambil ({detail})",
    "robots": "ditolak robots.txt situs ({detail})",
    "timeout": "batas waktu habis",
    "dns": "DNS gagal: host {detail} tidak ditemukan",
    "connection_refused": "koneksi ditolak server",
    "connection": "unduhan gagal (koneksi terputus: {detail})",
    "redirect_loop": "pengalihan berputar (redirect loop) di {detail}",
    "too_many_redirects": "terlalu banyak pengalihan (redirect)",
    "too_large": "halaman melebihi batas ukuran unduhan",
    "error": "gagal diambil ({detail})",
    "not_html": "bukan halaman web ({detail})",
    "empty": "halaman kosong",
    "block_page": "yang terambil halaman cek bot/blokir, bukan postingan",
    "login": "blog privat: dialihkan ke halaman login ({detail})",
    "not_article": "halaman terambil, tetapi tidak ada postingan yang dikenali",
    "no_text": "halaman terambil, tetapi tidak ada teks pada halaman",
    "rejected": "postingan tidak dapat dibaca ({detail})",
    "off_topic": "di luar topik sumbernya",
    "unfinished": "tidak selesai diambil",
}


def describe_status(status: int) -> str:
    if status in _STATUS:
        return _STATUS[status]
    return f"galat server (HTTP {status})" if status >= 500 else f"HTTP {status}"


def describe(reason: str, detail: str = "") -> str:
    """The committee's words for a reason code of `scrapers.outcomes`."""
    if reason == "http_status" and detail.isdigit():
        return describe_status(int(detail))
    return REASONS.get(reason, reason).format(detail=detail)


def parse_when(raw: str | None) -> tuple[datetime | None, str]:
    """An aware datetime and its precision from a raw date string, via pipelines.dates."""
    if not raw:
        return None, "second"
    from pipelines.dates import parse_date

    parsed = parse_date(raw)
    if parsed is None:
        return None, "second"
    return parsed.value, parsed.precision


def entry_from_outcome(outcome: UrlOutcome) -> FetchedEntry:
    """The entry as its own request chain fetched it (the outcome must carry its items)."""
    entry = FetchedEntry(
        url=outcome.url,
        final_url=outcome.final_url,
        status=outcome.status,
        redirects=list(outcome.redirects),
        declared=outcome.declared_elsewhere,
        reason=outcome.reason,
    )
    documents = [i for i in outcome.items if isinstance(i, DocumentItem)]
    post = next((i for i in documents if i.kind != "comment"), None)
    if outcome.reason not in SUCCESS or post is None:
        entry.reason = outcome.reason if outcome.reason not in SUCCESS else "not_article"
        entry.error = describe(entry.reason, outcome.detail)
        return entry
    published, precision = parse_when(post.published_raw)
    updated, _ = parse_when(post.updated_raw)
    entry.platform = post.platform
    entry.title = post.title
    entry.author = post.author
    entry.site = post.site
    entry.published_raw = post.published_raw
    entry.published, entry.published_precision = published, precision
    entry.updated, entry.updated_raw = updated, post.updated_raw
    entry.body_html = post.body_html or ""
    entry.comments = [_plain(c) for c in documents if c.kind == "comment"]
    if post.fetched_at is not None:
        entry.fetched_at = post.fetched_at
    if not entry.body_html.strip() and (post.text or "").strip():
        # Generic pages may come back as text only: judge the text, and say that links and
        # images could not be checked (see rules).
        entry.body_html = "".join(
            f"<p>{html.escape(line)}</p>" for line in post.text.split("\n") if line.strip()
        )
        entry.body_from_text = True
    return finish_entry(entry)


def _plain(item: DocumentItem) -> dict[str, Any]:
    """A comment as JSON-ready data (what the snapshot keeps)."""
    data = item.to_dict()
    data.pop("published", None)  # derived objects; the raw strings stay
    data.pop("updated", None)
    return {key: _json_ready(value) for key, value in data.items()}


def _json_ready(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, bytes):
        return None
    return value
