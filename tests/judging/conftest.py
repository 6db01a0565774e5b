"""Fixtures for the judging tests (helpers live in judging_helpers.py)."""

from __future__ import annotations

import pytest
from judging_helpers import EXAMPLE_CONTEST

from tangguh.judging.contest import Contest, load_contest


@pytest.fixture
def contest() -> Contest:
    return load_contest(EXAMPLE_CONTEST)
