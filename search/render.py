"""Human output for search hits.

Why ``Text`` cells: titles and snippets are scraped text, and Rich would otherwise interpret
``[bold]``-like markup inside them; ``Text`` shows them literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from rich.style import Style
from rich.table import Table
from rich.text import Text

from search.records import Hit


def hits_table(query: str, hits: Sequence[Hit]) -> Table:
    """Rank, date, site, kind, title (with copies) and snippet, one row per hit."""
    table = Table(title=Text(f"{len(hits)} hits for: {query}"), show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("site", overflow="fold", max_width=20)
    table.add_column("kind", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=2)
    table.add_column("snippet", overflow="fold", ratio=3)
    for rank, h in enumerate(hits, start=1):
        title = Text(h.title or h.url, style=Style(link=h.url) if _linkable(h.url) else "")
        if h.copies > 1:
            title.append(f"  (+{h.copies - 1} copies)", style="dim")
        title.append("\n" + _short_path(h.url), style="dim")
        table.add_row(
            str(rank),
            Text((h.published_at or "")[:10]),
            Text(h.site or ""),
            Text(h.kind or ""),
            title,
            Text(h.snippet),
        )
    return table


def _linkable(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def _short_path(url: str, limit: int = 48) -> str:
    """The URL without scheme and host (the site column has it), cut to ``limit``."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    path += f"#{parts.fragment}" if parts.fragment else ""
    if not parts.netloc:
        path = url
    return path if len(path) <= limit else path[: limit - 1] + "…"
