"""Snippets with the query's words marked: every token escaped first, marked second.

Scraped text is hostile; building HTML by inserting ``<mark>`` into raw text and escaping
afterwards would escape our own tags, and marking after escaping the whole string could split
an entity. Escaping each token on its own and then wrapping the matching ones cannot do
either.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from search.snippet import marked_tokens


def highlight(text: str | None, query: str | None) -> Markup:
    if not text:
        return Markup("")
    if not query or not query.strip():
        return Markup(escape(text))
    parts = [
        f"<mark>{escape(tok)}</mark>" if hit else escape(tok)
        for tok, hit in marked_tokens(text, query)
    ]
    return Markup(" ".join(parts))
