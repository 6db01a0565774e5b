"""Where each field of a document came from, and how sure we are.

A page rarely gives every field one way: the title may come from JSON-LD, the body from a
known template, the date from a byline heuristic. Each field an item carries can be marked
with its source and a confidence; the marks travel in ``item.extra["field_sources"]``, are
stored on the document (``documents.field_sources``) and exported, so a researcher or a judge
can tell a template match from a guess.

Sources, roughly from most to least trustworthy:

``api``        a platform API (WordPress REST)
``feed``       a platform feed (Blogger JSON/Atom, RSS)
``metadata``   structured metadata on the page (JSON-LD, Open Graph, microdata, ``<time>``)
``template``   a container of a recognised platform or theme (``.post-body``, ``.comment-list``)
``selector``   a selector configured for the source in ``sources.toml``
``heuristic``  a rule over the page's text or layout (a byline next to the headline)
``general``    the general main-text extractor (trafilatura) or the page's main element
"""

from __future__ import annotations

from typing import Any

SOURCES = ("api", "feed", "metadata", "template", "selector", "heuristic", "general")


def mark(item: Any, field: str, source: str, confidence: float, **detail: Any) -> None:
    """Record that ``item.<field>`` came from ``source`` with ``confidence`` (0..1).

    ``detail`` adds context a reader may need, such as ``raw="Anonim"`` for an author label
    that was read but not kept as a name, or ``via="json-ld"``.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown field source {source!r}; one of {', '.join(SOURCES)}")
    entry: dict[str, Any] = {"source": source, "confidence": round(float(confidence), 2)}
    entry.update({k: v for k, v in detail.items() if v is not None})
    item.extra.setdefault("field_sources", {})[field] = entry


def source_of(item: Any, field: str) -> str | None:
    """The recorded source of ``item.<field>``, or None when nothing was recorded."""
    entry = (item.extra.get("field_sources") or {}).get(field)
    return entry.get("source") if entry else None
