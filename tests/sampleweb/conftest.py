"""Sample-web fixtures: one server per module on the small fixture corpus (port 0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tangguh.sampleweb.server import SampleWeb

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
MODERN = "semeru-fixture.blogspot.test"
CLASSIC = "classic-fixture.blogspot.test"
WP_ON = "wp-fixture.test"
WP_OFF = "wp-off-fixture.test"
GOV = "gov-fixture.go.test"
PORTAL = "portal-fixture.test"


@pytest.fixture(scope="module")
def web():
    """A running sample web on the fixture corpus, shared by one test module (read-only use)."""
    with SampleWeb(corpus_dir=FIXTURE_CORPUS, scale=45) as running:
        yield running


@pytest.fixture
def fresh_web():
    """A private sample web for tests that mutate it (add_comment, remove_page)."""
    with SampleWeb(corpus_dir=FIXTURE_CORPUS) as running:
        yield running
