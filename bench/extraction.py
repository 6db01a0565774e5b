"""Extraction quality over the saved-page corpus (tests/scrapers/fixtures), with a gate.

    python -m bench.extraction [--update-baseline]

Every fixture lists expected fields, must-contain and must-not-contain snippets, comment
threads and listing links; each is one check (``scrapers.pages.evaluate``). Prints the
share of checks passed per fixture and overall, and compares the overall score and each
fixture's with ``bench/extraction_baseline.json``: any drop exits non-zero, so the score
never falls silently. ``--update-baseline`` records the current figures (after an
improvement, or with new fixtures).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from scrapers.pages.evaluate import evaluate, fixtures

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "scrapers" / "fixtures"
BASELINE = Path(__file__).with_name("extraction_baseline.json")


def run() -> dict[str, object]:
    per: dict[str, dict[str, int]] = {}
    # The first pass pays one-off imports (trafilatura's date module alone takes ~3 s on
    # the first page that needs it); the speed is the second, warm pass.
    started = time.perf_counter()
    for path in fixtures(FIXTURES):
        result = evaluate(path)
        per[result.name] = {"passed": result.passed, "checks": len(result.checks)}
    cold = time.perf_counter() - started
    started = time.perf_counter()
    for path in fixtures(FIXTURES):
        evaluate(path)
    elapsed = time.perf_counter() - started
    passed = sum(v["passed"] for v in per.values())
    checks = sum(v["checks"] for v in per.values())
    return {
        "fixtures": per,
        "passed": passed,
        "checks": checks,
        "score": round(passed / checks, 4) if checks else 0.0,
        "ms_per_page": round(1000 * elapsed / max(1, len(per)), 1),
        "cold_s": round(cold, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-baseline", action="store_true")
    args = parser.parse_args(argv)
    figures = run()
    per = figures["fixtures"]
    assert isinstance(per, dict)
    for name, v in sorted(per.items()):
        mark = "" if v["passed"] == v["checks"] else "  <-- failing checks"
        print(f"  {name:44s} {v['passed']:3d}/{v['checks']:<3d}{mark}")
    print(
        f"extraction: {len(per)} pages, {figures['passed']}/{figures['checks']} checks, "
        f"score {figures['score']:.4f}, {figures['ms_per_page']} ms/page warm (first pass {figures['cold_s']} s)"
    )
    if args.update_baseline:
        BASELINE.write_text(
            json.dumps({k: figures[k] for k in ("fixtures", "score")}, indent=1, sort_keys=True)
            + "\n",
            encoding="utf-8",
        )
        print(f"baseline written: {BASELINE.name}")
        return 0
    if not BASELINE.exists():
        print("no baseline yet: run with --update-baseline")
        return 0
    base = json.loads(BASELINE.read_text(encoding="utf-8"))
    drops = (
        [f"overall {base['score']} -> {figures['score']}"]
        if figures["score"] < base["score"]
        else []
    )
    for name, old in base["fixtures"].items():
        new = per.get(name)
        if new is None:
            drops.append(f"{name}: fixture missing")
        elif new["passed"] < old["passed"]:
            drops.append(f"{name}: {old['passed']} -> {new['passed']} checks passed")
    if drops:
        print("SCORE DROPPED against bench/extraction_baseline.json:")
        for line in drops:
            print("  " + line)
        return 1
    print(f"no drop against baseline (score {base['score']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
