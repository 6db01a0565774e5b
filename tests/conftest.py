"""Shared fixtures: databases (SQLite file always; PostgreSQL when TANGGUH_TEST_PG names one)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from store.db import open_database

PG_URL = os.environ.get("TANGGUH_TEST_PG")


def _reset_pg(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A migrated, empty database on each backend; PostgreSQL skips without a server."""
    if request.param == "sqlite":
        database = open_database(f"sqlite:///{tmp_path / 'test.db'}")
    else:
        if not PG_URL:
            pytest.skip("PostgreSQL tests need TANGGUH_TEST_PG (e.g. postgresql+psycopg://...)")
        _reset_pg(PG_URL)
        database = open_database(PG_URL)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'test.db'}")
    yield database
    database.dispose()


@pytest.fixture
def pg_url():
    """A reset PostgreSQL database URL; skips without TANGGUH_TEST_PG."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need TANGGUH_TEST_PG (e.g. postgresql+psycopg://...)")
    _reset_pg(PG_URL)
    return PG_URL
