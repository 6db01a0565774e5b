"""Match a crawl's items and request outcomes to the entry URLs that were asked for.

A spider stores a post under its canonical URL, which may differ from what the entrant typed
(`?m=1`, `http` vs `https`, a redirect to a custom domain), so items are matched by a
scheme-less key (`entries.canonical_url`) of the entry URL and of its final URL. Comments
follow their post through `parent_url`. An entry with no post item gets the reason from the
recorded outcome: HTTP status, DNS failure, timeout, refused address, or "no post found".
"""

from __future__ import annotations

import contextlib
import html
from datetime import datetime
from typing import Any

from .entries import canonical_url
from .fetch import FetchedEntry, finish_entry

_ERRORS = {
    "RedirectLoop": "pengalihan berputar (redirect loop)",
    "ResponseDataLossError": "jawaban server terpotong",
    "DownloadFailedError": "unduhan gagal (koneksi terputus)",
    "DNSLookupError": "DNS gagal: host tidak ditemukan",
    "TimeoutError": "batas waktu habis",
    "TCPTimedOutError": "batas waktu habis",
    "ConnectionRefusedError": "koneksi ditolak server",
    "ConnectionLost": "koneksi terputus",
    "ResponseNeverReceived": "tidak ada jawaban dari server",
    "ConnectError": "tidak dapat terhubung",
}
_STATUS = {
    401: "blog privat atau perlu login (HTTP 401)",
    403: "akses ditolak, mungkin blog privat (HTTP 403)",
    404: "tidak ditemukan (HTTP 404)",
    410: "sudah dihapus (HTTP 410)",
    429: "server menolak karena terlalu banyak permintaan (HTTP 429)",
}
_LOGIN_HOSTS = ("accounts.google.com", "www.blogger.com/blogin", "wordpress.com/log-in")


def describe_error(error_type: str, message: str) -> str:
    if error_type in _ERRORS:
        return _ERRORS[error_type]
    lowered = message.lower()
    if error_type == "PrivateAddressRefused" or any(
        w in lowered for w in ("non-public", "private", "loopback")
    ):
        return "alamat privat/lokal ditolak (juga setelah pengalihan); pakai --allow-private"
    if error_type == "IgnoreRequest" and "scheme" in lowered:
        return "dialihkan ke skema yang ditolak (hanya http/https)"
    if "max redirections" in lowered or "redirect" in lowered:
        return "terlalu banyak pengalihan (redirect)"
    if "connectiondone" in lowered or "connection was closed" in lowered:
        return "koneksi diputus server"
    if "timeout" in lowered or "timed out" in lowered:
        return "batas waktu habis"
    if "dns" in lowered:
        return "DNS gagal: host tidak ditemukan"
    return (
        f"gagal diambil ({error_type}: {message[:120]})"
        if message
        else f"gagal diambil ({error_type})"
    )


def describe_status(status: int) -> str:
    if status in _STATUS:
        return _STATUS[status]
    return f"galat server (HTTP {status})" if status >= 500 else f"HTTP {status}"


def parse_when(raw: str | None) -> tuple[datetime | None, str]:
    """An aware datetime and its precision from a raw date string, via pipelines.dates."""
    if not raw:
        return None, "second"
    try:
        from pipelines.dates import parse_date
    except ImportError:  # the dates module not there yet: ISO strings still work
        parse_date = None
    if parse_date is not None:
        parsed = parse_date(raw)
        if parsed is not None:
            return parsed.value, parsed.precision
        return None, "second"
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None, "second"
    return (value, "second") if value.tzinfo else (None, "second")


def entries_from_records(
    urls: list[str], records: list[dict[str, Any]], *, failure: str | None = None
) -> dict[str, FetchedEntry]:
    outcomes: dict[str, dict[str, Any]] = {}
    for rec in records:
        if rec.get("type") == "dropped":  # same target as another entry's request
            rec = {**rec, "type": "response", "status": 200}
        if rec.get("type") in ("response", "error"):
            key = canonical_url(rec["url"])
            outcomes[key] = _prefer(outcomes[key], rec) if key in outcomes else rec
    posts: dict[str, dict[str, Any]] = {}
    comments: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        if rec.get("type") != "item":
            continue
        item = rec["item"]
        if item.get("kind") == "comment":
            comments.setdefault(canonical_url(item.get("parent_url") or ""), []).append(item)
        else:
            for key in {
                canonical_url(item["url"]),
                canonical_url(item.get("page_canonical") or item["url"]),
            }:
                posts.setdefault(key, item)

    out: dict[str, FetchedEntry] = {}
    for url in urls:
        key = canonical_url(url)
        outcome = outcomes.get(key)
        final_url = outcome.get("final_url") if outcome else None
        item = posts.get(key) or (posts.get(canonical_url(final_url)) if final_url else None)
        if item is not None:
            out[url] = _from_item(url, item, outcome, comments)
            continue
        entry = FetchedEntry(url=url, final_url=final_url)
        if outcome is None:
            entry.error = failure or "tidak ada jawaban (URL tidak diambil)"
        elif outcome["type"] == "error":
            entry.error = describe_error(outcome.get("error_type", ""), outcome.get("error", ""))
        else:
            entry.status = outcome.get("status")
            if entry.status and entry.status >= 400:
                entry.error = describe_status(entry.status)
            elif final_url and any(h in final_url for h in _LOGIN_HOSTS):
                entry.error = "blog privat: dialihkan ke halaman login"
            else:
                entry.error = "halaman terambil, tetapi tidak ada postingan yang dikenali"
        out[url] = entry
    return out


def _prefer(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """A successful response beats an earlier error (a retry that worked)."""
    if old["type"] == "error" and new["type"] == "response":
        return new
    if old["type"] == "response" and new["type"] == "response":
        return new if (old.get("status") or 0) >= 400 > (new.get("status") or 0) else old
    return old


def _from_item(
    url: str,
    item: dict[str, Any],
    outcome: dict[str, Any] | None,
    comments: dict[str, list[dict[str, Any]]],
) -> FetchedEntry:
    published, precision = parse_when(item.get("published_raw"))
    updated, _ = parse_when(item.get("updated_raw"))
    fetched_at = item.get("fetched_at")
    entry = FetchedEntry(
        url=url,
        final_url=(outcome or {}).get("final_url") or item["url"],
        status=(outcome or {}).get("status") or 200,
        platform=item.get("platform"),
        title=item.get("title"),
        author=item.get("author"),
        site=item.get("site"),
        published_raw=item.get("published_raw"),
        published=published,
        published_precision=precision,
        updated=updated,
        updated_raw=item.get("updated_raw"),
        body_html=item.get("body_html") or "",
        comments=comments.get(canonical_url(item["url"]), []),
    )
    if not entry.body_html.strip() and (item.get("text") or "").strip():
        # Generic pages may come back as text only: judge the text, and say that links and
        # images could not be checked (see rules).
        entry.body_html = "".join(
            f"<p>{html.escape(line)}</p>" for line in item["text"].split("\n") if line.strip()
        )
        entry.body_from_text = True
    if fetched_at:
        with contextlib.suppress(TypeError, ValueError):
            entry.fetched_at = datetime.fromisoformat(fetched_at)
    return finish_entry(entry)
