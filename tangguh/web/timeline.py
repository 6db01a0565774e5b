"""The coverage timeline: hits per week or month, stacked by kind or by site, as SVG shapes.

Counted from the summary of the query's whole result set (``search.resultset.result_summary``),
one per duplicate group as the export lists them; a document is placed at the first day it may have been published (a
date known only to the month counts in that month's first week). Undated hits are counted
beside the chart, never placed on a guessed date. The geometry is computed here so the
template only draws rectangles: readable without JavaScript, exact numbers in each bar's
``<title>`` tooltip and in the table beside it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

KIND_ORDER = ("post", "comment", "article")
MAX_SITES = 6  # stacked by site: the biggest sites, the rest as "other"
OTHER = "…"
PALETTE = ("#2f6f9f", "#e0803a", "#5c9c4a", "#b8475c", "#7d62b3", "#8c6d46", "#999999")
WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 760, 220, 36, 34, 8


@dataclass
class Bucket:
    start: date
    end: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Bar:
    x: float
    width: float
    segments: list[tuple[str, float, float, int, str]]  # series, y, height, count, colour
    bucket: Bucket


@dataclass
class Timeline:
    interval: str  # "week" | "month"
    stack: str  # "kind" | "site"
    series: list[str]
    buckets: list[Bucket]
    undated: int
    total: int
    colours: dict[str, str] = field(default_factory=dict)
    max_total: int = 0

    def bars(self) -> list[Bar]:
        if not self.buckets:
            return []
        plot_w = WIDTH - PAD_LEFT - 4
        plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
        step = plot_w / len(self.buckets)
        scale = plot_h / max(self.max_total, 1)
        out = []
        for i, b in enumerate(self.buckets):
            y = PAD_TOP + plot_h
            segs = []
            for name in self.series:
                n = b.counts.get(name, 0)
                if not n:
                    continue
                h = n * scale
                y -= h
                segs.append((name, round(y, 2), round(h, 2), n, self.colours[name]))
            out.append(
                Bar(round(PAD_LEFT + i * step + step * 0.1, 2), round(step * 0.8, 2), segs, b)
            )
        return out

    def ticks(self) -> list[tuple[float, int]]:
        """Y axis: (y, value) for 0, half and the maximum."""
        plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
        top = max(self.max_total, 1)
        values = sorted({0, top // 2, top})
        return [(round(PAD_TOP + plot_h - v * plot_h / top, 2), v) for v in values]

    def labels(self, every: int | None = None) -> list[tuple[float, str]]:
        """X axis labels, thinned to about ten."""
        if not self.buckets:
            return []
        step = (WIDTH - PAD_LEFT - 4) / len(self.buckets)
        every = every or max(1, round(len(self.buckets) / 10))
        fmt = "%Y-%m" if self.interval == "month" else "%d %b %y"
        return [
            (round(PAD_LEFT + i * step + step / 2, 2), b.start.strftime(fmt))
            for i, b in enumerate(self.buckets)
            if i % every == 0
        ]

    def to_json(self) -> dict:
        return {
            "interval": self.interval,
            "stack": self.stack,
            "series": self.series,
            "buckets": [
                {
                    "start": b.start.isoformat(),
                    "end": b.end.isoformat(),
                    "counts": b.counts,
                    "total": b.total,
                }
                for b in self.buckets
            ],
            "undated": self.undated,
            "total": self.total,
        }


def _bucket_start(day: date, interval: str) -> date:
    if interval == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def _next(start: date, interval: str) -> date:
    if interval == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7)


def build(cells, *, interval: str | None = None, stack: str = "kind") -> Timeline:
    """``cells``: ``(first day ISO or None, kind, site, count)``, as the result set's summary
    gives them (``search.resultset.Summary``). ``interval`` None picks weeks for spans up to
    half a year, months beyond."""
    stack = stack if stack in ("kind", "site") else "kind"
    dated: list[tuple[date, str, int]] = []
    undated = 0
    for day, kind, site, n in cells:
        key = (kind or "?") if stack == "kind" else (site or "?")
        if not day:
            undated += n
            continue
        try:
            dated.append((date.fromisoformat(day), key, n))
        except ValueError:
            undated += n
    if interval not in ("week", "month"):
        span = (max(d for d, _, _ in dated) - min(d for d, _, _ in dated)).days if dated else 0
        interval = "week" if span <= 183 else "month"
    if stack == "kind":
        present = {k for _, k, _ in dated}
        series = [k for k in KIND_ORDER if k in present] + sorted(present - set(KIND_ORDER))
    else:
        sizes: Counter = Counter()
        for _, k, n in dated:
            sizes[k] += n
        series = [k for k, _ in sizes.most_common(MAX_SITES)]
        if len(sizes) > MAX_SITES:
            keep = set(series)
            dated = [(d, k if k in keep else OTHER, n) for d, k, n in dated]
            series.append(OTHER)
    buckets: list[Bucket] = []
    if dated:
        counts: dict[date, Counter] = {}
        for d, k, n in dated:
            counts.setdefault(_bucket_start(d, interval), Counter())[k] += n
        start, last = min(counts), max(counts)
        while start <= last:
            nxt = _next(start, interval)
            buckets.append(Bucket(start, nxt - timedelta(days=1), dict(counts.get(start, {}))))
            start = nxt
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    return Timeline(
        interval=interval,
        stack=stack,
        series=series,
        buckets=buckets,
        undated=undated,
        total=sum(n for _, _, n in dated) + undated,
        colours=colours,
        max_total=max((b.total for b in buckets), default=0),
    )


def top_sites(cells, n: int = 10) -> list[tuple[str, int]]:
    """The sites with the most hits, for the table beside the timeline."""
    sizes: Counter = Counter()
    for _day, _kind, site, count in cells:
        sizes[site or "?"] += count
    return sizes.most_common(n)
