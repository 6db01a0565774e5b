"""Page objects against the saved-page corpus: one test per fixture, every check must pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.pages.evaluate import evaluate, fixtures

FIXTURES = Path(__file__).parent / "fixtures"
CASES = fixtures(FIXTURES)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 50
    kinds = {p.name.split("_")[0] for p in CASES}
    assert {"blogger", "wp", "news"} <= kinds


@pytest.mark.parametrize("expected", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_fixture(expected: Path) -> None:
    result = evaluate(expected)
    assert result.checks, "a fixture with no checks proves nothing"
    failed = [f"{c.name}: {c.detail}" for c in result.failures]
    assert not failed, "\n".join(failed)
