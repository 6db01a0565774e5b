"""``python -m search QUERY --index DIR``: the search path alone, without the application CLI.

Why: ``bench/search.py`` times a cold one-off search with it, and it helps to debug an index
without the rest of Tangguh. ``tangguh search`` is the user-facing command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m search", description=__doc__.splitlines()[0])
    ap.add_argument("query")
    ap.add_argument("--index", type=Path, default=Path("data/tangguh.index"))
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--since")
    ap.add_argument("--until")
    ap.add_argument("--kind")
    ap.add_argument("--site")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from search.index import SearchIndexError
    from search.query import search

    try:
        hits = search(
            args.index,
            args.query,
            limit=args.limit,
            since=args.since,
            until=args.until,
            kind=args.kind,
            site=args.site,
        )
    except (SearchIndexError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False))
    else:
        from rich.console import Console

        from search.render import hits_table

        Console().print(hits_table(args.query, hits))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
