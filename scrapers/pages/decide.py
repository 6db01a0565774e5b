"""The field decision: which candidate answers each field of a page, and how sure we are.

A page object proposes candidates for a field: a known template's container, structured
metadata (JSON-LD, Open Graph, ``<time>``), a source's configured selector, a heuristic, the
general extractor (``scrapers.pages.general``). This module picks one, the same way for every
page type, and says where it came from (``scrapers.provenance``).

For the body, templates are trusted only as far as the page supports them:

1. A trusted template (a configured selector, Blogger's own ``post-body``) is taken as is.
2. Otherwise the general extractor reads the page too, and the two are compared line by line:
   - no usable template body: the general body, else JSON-LD ``articleBody``, else the
     page's main element (a page that has a body is never dropped);
   - they disagree (each holds less than half of the other): the template matched the wrong
     box; the general body wins, or the one JSON-LD ``articleBody`` agrees with;
   - the template body is a small part of a much longer, agreeing general body: the
     template caught a fragment; the general body wins;
   - the general body is a small part of a template body that holds all of it: the rest of
     the template is furniture (share bars, author boxes, teasers); the general body wins;
   - they agree: the template's body, without the lines at its start and end that the
     general extractor left out (share prompts, author boxes, "more on this" lines), without
     short lines inside that it left out (captions, credits) or that sit in the page's
     furniture boxes, and with the lead paragraphs the general reading found above it.
3. Whatever won, the whole paragraphs of the page's main region (``<main>``, its one
   ``<article>``) that it left out are added in place: both extractors drop real paragraphs
   they find link-heavy, and a long paragraph there is rarely furniture.

Titles, authors and dates are ordered lists: the first candidate with a value wins, in the
order each page type gives (metadata, template, heuristic, general).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_BULLET = re.compile(r"^\s*[-*•]\s+", re.MULTILINE)
# At or above this confidence a template body is taken without asking the general extractor.
TRUSTED = 0.9
# A body shorter than this many words (or characters, for scripts written without spaces)
# is no body: a teaser, a "read more" stub.
MIN_WORDS = 12
MIN_CHARS = 100
# Coverage below which two bodies "disagree", and the share below which a template body
# that agrees with a longer general body is only a fragment of it.
DISAGREE = 0.5
FRAGMENT = 0.25
# A template line the general reading left out is kept inside the body from this many words.
KEEP_WORDS = 8
# A paragraph of the page's main region that the chosen body left out is added from this many
# words (shorter ones there are captions, teasers and labels).
AUGMENT_WORDS = 25


@dataclass(frozen=True)
class Candidate:
    """One answer for a field: the value, where it came from, and how sure that source is."""

    value: str | None
    source: str  # one of scrapers.provenance.SOURCES
    confidence: float
    via: str = ""  # what exactly: "json-ld", ".entry-content", "trafilatura", ...

    def with_value(self, value: str, via: str | None = None) -> Candidate:
        return Candidate(value, self.source, self.confidence, via or self.via)


Lazy = Callable[[], "Candidate | None"]


def first_candidate(options: Iterable[Candidate | Lazy | None]) -> Candidate | None:
    """The first option with a non-empty value; callables are only called when reached."""
    for option in options:
        found = option() if callable(option) else option
        if found is not None and found.value and found.value.strip():
            return found
    return None


def decide_body(
    template: Candidate | None,
    general: Lazy,
    *,
    metadata: Candidate | None = None,
    main: Lazy | None = None,
    furniture: Callable[[], set[str]] | None = None,
) -> Candidate | None:
    """The body a page is stored with (see the module docstring), or None when it has none."""
    if usable(template) and template.confidence >= TRUSTED:  # type: ignore[union-attr]
        return template
    found = general()
    chosen = _weigh(
        template if usable(template) else None,
        found if usable(found) else None,
        metadata,
        furniture,
    )
    if chosen is None:
        chosen = first_candidate([metadata if usable(metadata) else None, main])
    if chosen is None:  # nothing looks like a whole body: still never drop what is there
        there = [c for c in (template, found, metadata) if c is not None and c.value]
        chosen = max(there, key=lambda c: len(c.value or ""), default=None)
    elif main is not None and chosen.via != "main element":
        region = main()
        if region is not None and region.value:
            chosen = _augment(chosen, region.value)
    return chosen


def _weigh(
    template: Candidate | None,
    gen: Candidate | None,
    metadata: Candidate | None,
    furniture: Callable[[], set[str]] | None,
) -> Candidate | None:
    """The template's body against the general extractor's, both usable or None."""
    if template is None or gen is None:
        return template or gen
    t_lines, g_lines = _lines(template.value), _lines(gen.value)
    t_in_g = coverage(t_lines, gen.value)
    g_in_t = coverage(g_lines, template.value)
    if t_in_g < DISAGREE and g_in_t < DISAGREE:
        if usable(metadata) and coverage(t_lines, metadata.value) > coverage(
            g_lines, metadata.value
        ):
            return template
        return gen
    if t_in_g >= 1 - DISAGREE / 2 and _size(t_lines) < FRAGMENT * _size(g_lines):
        return gen  # the template caught a fragment of the body
    if g_in_t >= 1 - DISAGREE / 5 and t_in_g < 1 - DISAGREE / 2:
        return gen  # all of the general body sits in a template that is a quarter furniture
    kept = _agreeing_lines(t_lines, gen.value, furniture() if furniture is not None else set())
    kept = _lead(g_lines, template.value) + kept
    text = "\n".join(kept)
    if not usable(template.with_value(text)):
        return gen
    trimmed = len(kept) < len(t_lines)
    return template.with_value(text, f"{template.via}, trimmed" if trimmed else template.via)


def _agreeing_lines(lines: list[str], reference: str | None, furniture: set[str]) -> list[str]:
    """The template's lines the general reading supports: the leading and trailing runs it
    does not hold are dropped (share prompts, author boxes, "more on this" lines), and so are
    lines inside that it does not hold and that are short (captions, credits) or sit in the
    page's furniture boxes. Longer paragraphs it missed (an embedded tweet's words, a short
    list) stay."""
    haystack = _norm(reference)
    start, end = 0, len(lines)
    while start < end and _norm(lines[start]) not in haystack:
        start += 1
    while end > start and _norm(lines[end - 1]) not in haystack:
        end -= 1
    kept = []
    for line in lines[start:end]:
        norm = _norm(line)
        if norm in haystack or (len(norm.split()) >= KEEP_WORDS and norm not in furniture):
            kept.append(line)
    return kept


def _lead(g_lines: list[str], template: str | None) -> list[str]:
    """The general reading's paragraphs before the first one the template holds: a lead or
    standfirst that sits above the body container. Short lines there (a byline, a date, a
    kicker) are not taken."""
    haystack = _norm(template)
    lead = []
    for line in g_lines:
        norm = _norm(line)
        if norm in haystack:
            break
        if len(norm.split()) >= KEEP_WORDS:
            lead.append(line)
    else:
        return []  # the template holds none of it: nothing to put a lead before
    return lead


def _augment(chosen: Candidate, region: str) -> Candidate:
    """``chosen`` plus the whole paragraphs of the page's main region that it left out, each
    placed after the paragraph it follows there: both extractors drop paragraphs of real
    articles they find link-heavy or oddly placed, and a long paragraph inside ``<main>`` is
    rarely furniture."""
    lines = _lines(chosen.value)
    at = {_norm(line): i for i, line in enumerate(lines)}
    have = _norm(chosen.value)
    out: list[tuple[int, str]] = []
    pos = -1
    for line in _lines(region):
        norm = _norm(line)
        if norm in at:
            pos = at[norm]
        elif norm not in have and len(norm.split()) >= AUGMENT_WORDS:
            out.append((pos, line))
    if not out:
        return chosen
    merged: list[str] = []
    extra = iter(out)
    pending = next(extra, None)
    while pending is not None and pending[0] < 0:
        merged.append(pending[1])
        pending = next(extra, None)
    for i, line in enumerate(lines):
        merged.append(line)
        while pending is not None and pending[0] == i:
            merged.append(pending[1])
            pending = next(extra, None)
    return chosen.with_value("\n".join(merged), f"{chosen.via} + main element")


def usable(candidate: Candidate | None) -> bool:
    if candidate is None or not candidate.value:
        return False
    words = candidate.value.split()
    return len(words) >= MIN_WORDS or sum(map(len, words)) >= MIN_CHARS


def coverage(lines: list[str], other: str | None) -> float:
    """The share of ``lines`` (by characters) found, whitespace-normalised, in ``other``."""
    if not lines or not other:
        return 0.0
    haystack = _norm(other)
    total = found = 0
    for line in lines:
        norm = _norm(line)
        total += len(norm)
        if norm in haystack:
            found += len(norm)
    return found / total if total else 0.0


def _lines(text: str | None) -> list[str]:
    return [line for line in (text or "").split("\n") if line.strip()]


def _size(lines: list[str]) -> int:
    return sum(len(_norm(line)) for line in lines)


def _norm(text: str | None) -> str:
    return " ".join(_BULLET.sub("", text or "").split())
