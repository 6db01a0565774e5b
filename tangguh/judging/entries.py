"""Read the entry list: a Google Forms (or similar) export as CSV.

Committees download the form responses as CSV from Google Sheets, sometimes re-save them in
Excel (semicolon-separated, cp1252) and edit them by hand, so this reader is forgiving about the
file and strict about the rows: every row it cannot use gets a message with its spreadsheet row
number (the header is row 1, as in Sheets), and every other row is still judged.

Column headers are recognised in Indonesian and English (`Stempel waktu`/`Timestamp`,
`Nama`/`Name`, `Alamat Email`/`Email`, `URL Postingan`/`Link`/`URL`, ...), or named with
`url_column`; when no header names the URL, the column whose cells are mostly URLs is used, with a
warning.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo


class EntriesError(ValueError):
    """The file cannot be used at all (unreadable, empty, no URL column)."""


@dataclass(frozen=True)
class Problem:
    """A message about one row (or the whole file when `row` is None), in Indonesian."""

    row: int | None
    message: str
    level: str = "error"  # "error": row not judged; "warning": judged anyway

    def __str__(self) -> str:
        where = f"baris {self.row}" if self.row is not None else "berkas"
        return f"{where}: {self.message}"


@dataclass
class Entry:
    """One usable form row."""

    row: int  # spreadsheet row number (header = 1)
    url: str  # normalised URL that will be fetched
    url_raw: str
    name: str | None = None
    email: str | None = None
    submitted_raw: str | None = None
    submitted: datetime | None = None  # aware, contest time zone
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class EntryList:
    entries: list[Entry]
    problems: list[Problem]
    columns: dict[str, str | None]  # role -> header used

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


_ALIASES = {
    "timestamp": {"timestamp", "stempel waktu", "cap waktu", "waktu", "tanggal kirim", "submitted"},
    "name": {
        "nama",
        "nama lengkap",
        "name",
        "full name",
        "nama peserta",
        "nama penulis",
        "nama blogger",
    },
    "email": {"email", "e-mail", "alamat email", "email address", "alamat e-mail", "surel"},
    "url": {
        "url postingan",
        "link",
        "url",
        "link postingan",
        "url artikel",
        "link artikel",
        "url tulisan",
        "link tulisan",
        "tautan",
        "tautan postingan",
        "url post",
        "post url",
        "link blog post",
        "url entri",
    },
}
_URL_WORDS = ("url", "link", "tautan")
_POST_WORDS = ("postingan", "post", "artikel", "tulisan", "entri", "karya", "lomba")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.I)
_HOSTLIKE = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:[/?#]\S*)?$", re.I)
_TRACKING_PARAMS = {"m", "fbclid", "gclid", "amp"}


def _norm_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    text = re.sub(r"[\s_]+", " ", text)
    return text.strip(" :*?.")


def read_entries(
    path: str | Path,
    *,
    url_column: str | None = None,
    tz: ZoneInfo | None = None,
) -> EntryList:
    """Read a form export; raise `EntriesError` only when no row can be used."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise EntriesError(f"{p}: tidak dapat dibaca ({exc.strerror or exc})") from exc
    return parse_entries(_decode(raw), url_column=url_column, tz=tz or ZoneInfo("Asia/Jakarta"))


def _decode(raw: bytes) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel "Unicode text"
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # Excel re-save on Windows


def parse_entries(text: str, *, url_column: str | None = None, tz: ZoneInfo) -> EntryList:
    """Parse CSV text (see module docstring)."""
    if not text.strip():
        raise EntriesError("berkas entri kosong")
    rows = list(csv.reader(io.StringIO(text), dialect=_sniff(text)))
    header, body = rows[0], rows[1:]
    problems: list[Problem] = []
    columns = _find_columns(header, body, url_column, problems)
    idx = {
        role: (header.index(name) if name is not None else None) for role, name in columns.items()
    }
    dayfirst = _dayfirst(body, idx["timestamp"], columns["timestamp"])

    entries: list[Entry] = []
    seen_urls: dict[str, int] = {}
    seen_rows: dict[tuple[str, ...], int] = {}
    for offset, cells in enumerate(body):
        rownum = offset + 2
        if not any(c.strip() for c in cells):
            continue
        key = tuple(c.strip() for c in cells)
        if key in seen_rows:
            problems.append(
                Problem(
                    rownum, f"baris ganda (sama persis dengan baris {seen_rows[key]}), dilewati"
                )
            )
            continue
        seen_rows[key] = rownum

        def cell(role: str, cells: list[str] = cells) -> str | None:
            i = idx[role]
            if i is None or i >= len(cells):
                return None
            return cells[i].strip() or None

        url_raw = cell("url") or ""
        url, message, level = normalise_url(url_raw)
        if url is None:
            problems.append(Problem(rownum, message or "URL tidak valid"))
            continue
        if message:
            problems.append(Problem(rownum, message, level))
        canon = canonical_url(url)
        if canon in seen_urls:
            problems.append(
                Problem(
                    rownum,
                    f"URL ganda (sudah dikirim di baris {seen_urls[canon]}): {url}, dilewati",
                )
            )
            continue
        seen_urls[canon] = rownum
        submitted_raw = cell("timestamp")
        submitted = parse_form_timestamp(submitted_raw, dayfirst=dayfirst, tz=tz)
        if submitted_raw and submitted is None:
            problems.append(
                Problem(rownum, f"stempel waktu tidak terbaca: {submitted_raw!r}", "warning")
            )
        used = {i for i in idx.values() if i is not None}
        extra = {
            header[i]: c
            for i, c in enumerate(cells)
            if i not in used and i < len(header) and c.strip()
        }
        entries.append(
            Entry(
                row=rownum,
                url=url,
                url_raw=url_raw,
                name=cell("name"),
                email=cell("email"),
                submitted_raw=submitted_raw,
                submitted=submitted,
                extra=extra,
            )
        )
    return EntryList(entries=entries, problems=problems, columns=columns)


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _find_columns(
    header: list[str], body: list[list[str]], url_column: str | None, problems: list[Problem]
) -> dict[str, str | None]:
    normed = [_norm_header(h) for h in header]
    found: dict[str, str | None] = {}
    for role in ("timestamp", "name", "email"):
        found[role] = next((header[i] for i, h in enumerate(normed) if h in _ALIASES[role]), None)
    if found["name"] is None:
        found["name"] = next(
            (header[i] for i, h in enumerate(normed) if h.startswith("nama")), None
        )
    if found["email"] is None:
        found["email"] = next(
            (header[i] for i, h in enumerate(normed) if "email" in h or "e-mail" in h), None
        )

    if url_column is not None:
        wanted = _norm_header(url_column)
        match = next((header[i] for i, h in enumerate(normed) if h == wanted), None)
        if match is None:
            raise EntriesError(
                f"kolom URL {url_column!r} tidak ada; kolom yang ada: {', '.join(header)}"
            )
        found["url"] = match
        return found

    scored = []
    for i, h in enumerate(normed):
        score = 0
        if h in _ALIASES["url"]:
            score = 3
        elif any(w in h.split() or w in h for w in _URL_WORDS):
            score = 2 if any(w in h for w in _POST_WORDS) else 1
        if score:
            scored.append((score, -i, header[i]))
    if scored:
        found["url"] = max(scored)[2]
        return found
    # No header names it: take the column whose cells are mostly URLs.
    best, best_share = None, 0.0
    for i in range(len(header)):
        values = [r[i].strip() for r in body if i < len(r) and r[i].strip()]
        if values:
            share = sum(bool(_URL_IN_TEXT.search(v) or _HOSTLIKE.match(v)) for v in values) / len(
                values
            )
            if share > best_share:
                best, best_share = i, share
    if best is not None and best_share >= 0.5:
        found["url"] = header[best]
        problems.append(
            Problem(
                None,
                f"tidak ada kolom berjudul URL/Link; memakai kolom {header[best]!r} karena isinya URL",
                "warning",
            )
        )
        return found
    raise EntriesError(
        "kolom URL tidak ditemukan (dicari: URL Postingan, Link, URL, Tautan); kolom yang ada: "
        f"{', '.join(repr(h) for h in header)}. Pakai --url-column NAMA untuk menyebutkannya."
    )


def normalise_url(raw: str) -> tuple[str | None, str | None, str]:
    """Return (url, message, level): url None means the row cannot be judged.

    Fixes what entrants commonly type (missing scheme, a URL inside a sentence, surrounding
    brackets) with a warning; refuses what cannot be a web page address.
    """
    text = raw.strip().strip("<>\"'").strip()
    if not text:
        return None, "URL kosong", "error"
    message = None
    several = _URL_IN_TEXT.findall(text)
    if len(several) > 1:
        # "blog: https://x.blogspot.com/ tulisan: https://x.blogspot.com/2020/06/a.html":
        # the post, not the blog's home page, is the entry.
        posts = [u for u in several if urlsplit(u).path.strip("/")]
        text = (posts or several)[0]
        message = f"lebih dari satu URL di sel; memakai {text}"
    elif not re.match(r"^https?://", text, re.I):
        found = _URL_IN_TEXT.search(text)
        if found:
            message = f"URL diambil dari teks {raw.strip()!r}"
            text = found.group(0)
        elif re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I) and not _HOSTLIKE.match(text):
            return None, f"skema URL tidak didukung (hanya http/https): {raw.strip()!r}", "error"
        elif _HOSTLIKE.match(text):
            text = "https://" + text
            message = f"URL tanpa http(s)://, dianggap {text}"
        else:
            return None, f"bukan URL: {raw.strip()!r}", "error"
    text = text.rstrip(".,;)")
    if re.search(r"\s", text):
        return None, f"URL mengandung spasi: {raw.strip()!r}", "error"
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = parts.port  # raises on a bad port
    except ValueError:
        return None, f"URL rusak: {raw.strip()!r}", "error"
    if parts.scheme.lower() not in ("http", "https"):
        return None, f"skema URL tidak didukung (hanya http/https): {raw.strip()!r}", "error"
    if not _valid_host(host):
        return None, f"nama host tidak valid dalam URL: {raw.strip()!r}", "error"
    netloc = host.lower() + (f":{port}" if port else "")
    url = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))
    if parts.path in ("", "/") and not parts.query and message is None:
        message = "URL tampaknya beranda blog, bukan alamat postingan"
    return url, message, "warning"


def _valid_host(host: str) -> bool:
    if not host or len(host) > 253:
        return False
    if re.fullmatch(r"[\d.]+", host) or ":" in host:  # IP literal: the address guard decides
        return True
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    if len(labels) < 2:
        return host == "localhost"
    return all(re.fullmatch(r"(?!-)[a-z0-9-]{1,63}(?<!-)", label, re.I) for label in labels)


def site_key(url: str) -> str:
    """The blog a URL belongs to: host without `www.`, Blogger country domains merged."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return re.sub(r"\.blogspot\.[a-z.]+$", ".blogspot.com", host)


def canonical_url(url: str) -> str:
    """A key under which two spellings of the same post compare equal.

    Blogger's `?m=1`/`?m=0`, tracking parameters, `www.`, the scheme, a trailing slash and the
    fragment do not change which post is meant.
    """
    parts = urlsplit(url)
    host = site_key(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith("utm_")
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host, path, urlencode(query), ""))


_TS = re.compile(
    r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
    r"\s*(AM|PM)?(?:\s*(?:GMT|UTC)([+-]\d{1,2})(?::?(\d{2}))?)?",
    re.I,
)


def _dayfirst(body: list[list[str]], i: int | None, header: str | None) -> bool:
    """Decide D/M vs M/D for the whole column: a per-row guess would misorder entries."""
    if i is None:
        return True
    for row in body:
        m = _TS.match(row[i].strip()) if i < len(row) else None
        if m and len(m.group(1)) <= 2:
            a, b = int(m.group(1)), int(m.group(2))
            if a > 12:
                return True
            if b > 12:
                return False
    return _norm_header(header or "") != "timestamp"  # English Forms export is M/D/YYYY


def parse_form_timestamp(raw: str | None, *, dayfirst: bool, tz: ZoneInfo) -> datetime | None:
    """Parse a Forms/Sheets timestamp (`24/06/2020 10:15:32`, `6/24/2020 10:15:32`, ISO)."""
    if not raw:
        return None
    text = raw.strip()
    try:
        value = datetime.fromisoformat(text)
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    except ValueError:
        pass
    m = _TS.match(text)
    if not m:
        return None
    a, b, c = m.group(1), m.group(2), m.group(3)
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        year = int(c) + (2000 if len(c) == 2 else 0)
        day, month = (int(a), int(b)) if dayfirst else (int(b), int(a))
    hour, minute, second = int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0)
    if m.group(7):
        hour = hour % 12 + (12 if m.group(7).upper() == "PM" else 0)
    try:
        value = datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None
    if m.group(8):  # Google Forms' own CSV: "2020/06/24 8:15:02 PM GMT+7"
        hours = int(m.group(8))
        offset = timedelta(hours=hours, minutes=int(m.group(9) or 0) * (1 if hours >= 0 else -1))
        value = value.replace(tzinfo=timezone(offset)).astimezone(tz)
    return value
