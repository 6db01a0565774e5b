"""The human index at ``http://127.0.0.1:PORT/``: every site with its URL and feeds."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .responses import Response, html

if TYPE_CHECKING:
    from .server import SampleWeb


def index_page(web: SampleWeb) -> Response:
    rows = []
    for info in web.sites:
        feeds = " ".join(f"<a href='{escape(u)}'>feed</a>" for u in info.feed_urls)
        rows.append(
            f"<tr><td><a href='{escape(info.start_urls[0])}'>{escape(info.host)}</a></td>"
            f"<td>{escape(info.kind)}</td><td>{escape(info.template)}</td>"
            f"<td>{escape(info.title)}</td><td>{feeds}</td></tr>"
        )
    counts = web.manifest().counts()
    summary = ", ".join(f"{n} {kind}s" for kind, n in sorted(counts.items()))
    body = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Tangguh sample web</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .8em;text-align:left}</style>"
        "</head><body><h1>Tangguh sample web</h1>"
        f"<p>Seed {web.seed}, scale {web.scale}: {escape(summary)}. Host names end in "
        "<code>.test</code> and resolve to this machine only through your client's resolver "
        "rules (Chromium: <code>--host-resolver-rules</code>).</p>"
        "<table><tr><th>site</th><th>kind</th><th>template</th><th>title</th><th>feeds</th></tr>"
        + "".join(rows)
        + "</table><p><a href='/sources.toml'>sources.toml</a> &middot; "
        "<a href='/manifest.jsonl'>manifest.jsonl</a></p></body></html>"
    )
    return html(body)
