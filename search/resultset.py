"""The whole result set of a query and its filters: what a researcher downloads and counts.

Why a result set beside ``Searcher.search``: a page shows the best ten or twenty hits, but a
researcher who cites what they found needs every hit (Media Cloud's users asked for exactly
this: no 1,000-row cap), and a coverage timeline needs to count them. Search by meaning ranks
every passage, so "every hit" needs a definition a reader can check:

- with a query: every document one of whose passages contains one of the query's words (the
  lexical side's matches, all of them, after the same stemming and rewrites as a search),
  plus the ``DENSE_DEPTH`` passages nearest in meaning (as deep as a search for one page
  looks); ranked by the same fusion as ``Searcher.search``;
- without a query: every document that passes the filters, newest first.

Either way one row per duplicate group, showing the group's original when it is in the set,
with the group's size (``copies``), exactly as hits are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from search.filters import NO_DAY
from search.fusion import lexical_weight, zscore_fusion
from search.query import Searcher, doc_filter
from search.text import clean_whitespace

DENSE_DEPTH = 200  # passages by meaning: what a 20-hit page (``search --limit 20``) looks at
_SQL_BATCH = 900  # ids per ``IN (...)``: under SQLite's variable limit on every version


@dataclass(slots=True)
class ResultRow:
    """One hit of the result set (a duplicate group), without a snippet."""

    doc_id: int
    url: str
    title: str | None
    kind: str | None
    site: str | None
    published_at: str | None
    day: str | None  # first day it may have been published (ISO), None when undated
    score: float | None  # fused relevance; None when listing without a query
    group: str  # the duplicate group: the original's URL
    copies: int = 1


_COLUMNS = "id, url, title, kind, site, published_at, day_lo, dup_group"


def _batches(ids: Sequence, size: int = _SQL_BATCH) -> Iterable[Sequence]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _rows(searcher: Searcher, doc_ids: Sequence[int]) -> dict[int, tuple]:
    out: dict[int, tuple] = {}
    for part in _batches(list(doc_ids)):
        marks = ",".join("?" * len(part))
        for r in searcher.conn.execute(f"SELECT {_COLUMNS} FROM docs WHERE id IN ({marks})", part):
            out[int(r[0])] = r
    return out


def _group_sizes(searcher: Searcher, groups: Sequence[str]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for part in _batches(list(groups)):
        marks = ",".join("?" * len(part))
        sizes.update(
            searcher.conn.execute(
                f"SELECT dup_group, count(*) FROM docs WHERE dup_group IN ({marks}) "
                "GROUP BY dup_group",
                part,
            ).fetchall()
        )
    return sizes


def _one_per_group(order: list[int], info: dict[int, tuple], scores: dict[int, float]) -> list[int]:
    """Documents in ``order``, one per group: the group's place and score are its best
    member's, and the original stands for the group when it is in the set (as
    ``Searcher.search`` shows it)."""
    chosen: list[int] = []
    place: dict[str, int] = {}
    for did in order:
        row = info.get(did)
        if row is None:
            continue
        group = row[7]
        if group in place:
            if row[1] == group:
                best = chosen[place[group]]
                if best in scores:
                    scores[did] = max(scores[did], scores[best])
                chosen[place[group]] = did
            continue
        place[group] = len(chosen)
        chosen.append(did)
    return chosen


def result_set(
    searcher: Searcher,
    query: str | None,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    site: str | None = None,
) -> list[ResultRow]:
    """Every hit of ``query`` with the filters (see the module docstring), best first.

    ``ValueError`` for a malformed date, as ``Searcher.search``.
    """
    flt = doc_filter(since, until, kind, site)
    query = clean_whitespace(query or "")
    scores: dict[int, float] = {}
    if query:
        c = searcher.candidates(
            query, max(searcher.n_chunks, 1), flt, "hybrid", dense_depth=DENSE_DEPTH
        )
        fused = zscore_fusion(
            c.lex_scores, c.den_scores, lexical_weight(c.coverage, english=c.english)
        )
        for cid, sc in fused.items():
            did = c.doc_of[cid]
            if did not in scores or sc > scores[did]:
                scores[did] = sc
        order = sorted(scores, key=lambda d: -scores[d])
        info = _rows(searcher, order)
    else:
        cond, params = flt.sql() if flt else ("1", [])
        listed = searcher.conn.execute(
            f"SELECT {_COLUMNS} FROM docs d WHERE {cond} "
            "ORDER BY d.day_lo IS NULL, d.day_lo DESC, d.published_at DESC, d.id",
            params,
        ).fetchall()
        info = {int(r[0]): r for r in listed}
        order = list(info)
    chosen = _one_per_group(order, info, scores)
    sizes = _group_sizes(searcher, [info[d][7] for d in chosen])
    return [_row(info[did], scores.get(did), sizes) for did in chosen]


def _row(info: tuple, score: float | None, sizes: dict[str, int]) -> ResultRow:
    return ResultRow(
        doc_id=int(info[0]),
        url=info[1],
        title=info[2],
        kind=info[3],
        site=info[4],
        published_at=info[5],
        day=info[6],
        score=round(float(score), 6) if score is not None else None,
        group=info[7],
        copies=int(sizes.get(info[7], 1)),
    )


# --- the summary a results page shows (count, timeline, top sites), without ranking -----


@dataclass(slots=True)
class Summary:
    """How many duplicate groups a result set holds, and where they fall: ``cells`` are
    ``(first day ISO or None, kind, site, groups)``, one per distinct combination. Each group
    counts once, at its original when that is in the set, else at its earliest member."""

    total: int
    cells: list[tuple[str | None, str | None, str | None, int]]


def result_summary(
    searcher: Searcher,
    query: str | None,
    *,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    site: str | None = None,
) -> Summary:
    """The count and spread of ``result_set``'s documents, from the in-memory document
    columns: no scores, no rows fetched, so a page over 100k passages stays fast."""
    meta = searcher.dense.meta
    if meta is None or searcher.dense.bm25 is None:  # no matrix cache: count the full set
        rows = result_set(searcher, query, since=since, until=until, kind=kind, site=site)
        cells = Counter((r.day, r.kind, r.site) for r in rows)
        return Summary(len(rows), [(*key, n) for key, n in cells.items()])
    reps = _representatives(searcher, query, doc_filter(since, until, kind, site))
    if not len(reps):
        return Summary(0, [])
    # one int64 per (day, kind, site): a 1-D unique is several times faster than rows'
    day = meta.day_lo[reps].astype(np.int64) + 1  # NO_DAY (-1) -> 0
    key = (day << 40) | (meta.kind[reps].astype(np.int64) << 32) | meta.site[reps]
    combos, counts = np.unique(key, return_counts=True)
    cells = [
        (
            date.fromordinal(int(c >> 40) - 1).isoformat() if c >> 40 else None,
            meta.kinds[int((c >> 32) & 0xFF)],
            meta.sites[int(c & 0xFFFFFFFF)],
            int(n),
        )
        for c, n in zip(combos, counts, strict=True)
    ]
    return Summary(len(reps), cells)


def newest(
    searcher: Searcher,
    *,
    offset: int,
    limit: int,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    site: str | None = None,
) -> list[ResultRow]:
    """A page of the filtered documents without a query, newest first, one per group
    (``result_set(None)`` in the same order, without listing all of them)."""
    meta = searcher.dense.meta
    if meta is None:
        rows = result_set(searcher, None, since=since, until=until, kind=kind, site=site)
        return rows[offset : offset + limit]
    reps = _representatives(searcher, None, doc_filter(since, until, kind, site))
    day = meta.day_lo[reps]
    # the newest first, undated last, then by id as result_set lists them
    order = np.lexsort((meta.ids[reps], -day, day == NO_DAY))
    chosen = [int(d) for d in meta.ids[reps[order[offset : offset + limit]]]]
    info = _rows(searcher, chosen)
    sizes = _group_sizes(searcher, [info[d][7] for d in chosen if d in info])
    return [_row(info[d], None, sizes) for d in chosen if d in info]


def _representatives(searcher: Searcher, query: str | None, flt) -> np.ndarray:
    """Positions in the document columns of one member per duplicate group of the set."""
    meta = searcher.dense.meta
    query = clean_whitespace(query or "")
    if query:
        pos = searcher.matching_docs(query, flt, DENSE_DEPTH)
    else:
        pos = np.flatnonzero(flt.doc_mask(meta)) if flt else np.arange(len(meta.ids))
    if not len(pos):
        return pos
    # per group: its original first, then the earliest dated member, then the lowest id
    # (``pos`` is in id order and the sort is stable): one int64 key, one sort
    day = meta.day_lo[pos].astype(np.int64)
    undated = day == NO_DAY
    key = (
        (meta.group[pos].astype(np.int64) << 22)
        | ((~meta.original[pos]).astype(np.int64) << 21)
        | (undated.astype(np.int64) << 20)
        | np.where(undated, 0, day)
    )
    order = np.argsort(key, kind="stable")
    group = meta.group[pos][order]
    first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    return pos[order[first]]
