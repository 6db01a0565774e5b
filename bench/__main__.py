"""`make bench`: run every benchmark in turn (each prints its own figures and ratios).

    python -m bench [NAME ...]     # e.g. `python -m bench dates dedup`

Names: dates, dedup, extraction, extraction_vs_trafilatura, realpages, crawl, distributed, judge,
search_quality, search, web, soak. Without names all but `soak` run (soak crawls 50,000 pages:
run it on its own; distributed says what it needs and skips without a PostgreSQL and a Redis
to use; realpages needs ../shared/data/realpages). A failing benchmark (the
extraction gate, say) makes the whole run exit non-zero, after the others have run.
"""

from __future__ import annotations

import subprocess
import sys
import time

ALL = (
    "dates",
    "dedup",
    "extraction",
    "extraction_vs_trafilatura",
    "realpages",
    "crawl",
    "distributed",
    "judge",
    "search_quality",
    "search",
    "web",
)
KNOWN = (*ALL, "soak")


def main(argv: list[str]) -> int:
    names = argv or list(ALL)
    unknown = [n for n in names if n not in KNOWN]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(KNOWN)}")
        return 2
    failed = []
    for name in names:
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"bench.{name}"])
        print(f"=== bench.{name}: exit {code} in {time.perf_counter() - started:.0f}s ===")
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
