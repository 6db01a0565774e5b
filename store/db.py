"""The one engine factory, and the sessions every write goes through.

SQLite (the embedded default) gets WAL, a busy timeout and `BEGIN IMMEDIATE` for every
write transaction: a deferred read-then-write transaction fails at once with "database is
locked" when another writer committed meanwhile, busy timeout or not. Reads use plain
deferred transactions so they never block writers. Nothing SQLite-specific lives outside
this package. Settings: env `TANGGUH_DB` (SQLAlchemy URL), `TANGGUH_BUSY_TIMEOUT_MS`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DB_URL = "sqlite:///data/tangguh.db"
DEFAULT_BUSY_TIMEOUT_MS = 30_000


class StoreError(Exception):
    """A store problem explained for the user (bad URL, unreachable server, locked file)."""


def resolve_db_url(url: str | None) -> str:
    """The URL to use: the argument, else env TANGGUH_DB, else ./data/tangguh.db."""
    url = url or os.environ.get("TANGGUH_DB") or DEFAULT_DB_URL
    if "://" not in url:  # a bare path is a SQLite file
        url = f"sqlite:///{url}"
    try:
        make_url(url)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises several types here
        raise StoreError(f"not a database URL: {url!r} ({exc})") from exc
    return url


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_engine(url: str, *, immediate: bool, busy_ms: int) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": busy_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no branch - runs per connection
        # Take transaction control from pysqlite so BEGIN is ours to emit.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@dataclass
class Database:
    """A pair of engines on one database: `read()` sessions and `write()` transactions."""

    url: str
    reader: Engine
    writer: Engine

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE on SQLite): commits on success, else rolls back."""
        with self._writer_sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader_sessions() as session:
            yield session

    def dispose(self) -> None:
        self.reader.dispose()
        if self.writer is not self.reader:
            self.writer.dispose()

    def __post_init__(self) -> None:
        self._writer_sessions = sessionmaker(self.writer, expire_on_commit=False)
        self._reader_sessions = sessionmaker(self.reader, expire_on_commit=False)


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open (and by default migrate to the latest schema) the database at `url`."""
    url = resolve_db_url(url)
    busy_ms = int(os.environ.get("TANGGUH_BUSY_TIMEOUT_MS", DEFAULT_BUSY_TIMEOUT_MS))
    if is_sqlite(url):
        db = Database(
            url,
            reader=_sqlite_engine(url, immediate=False, busy_ms=busy_ms),
            writer=_sqlite_engine(url, immediate=True, busy_ms=busy_ms),
        )
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except Exception as exc:  # noqa: BLE001 - missing driver, bad options
            raise StoreError(f"cannot open {url!r}: {exc}") from exc
        db = Database(url, reader=engine, writer=engine)
    if migrate:
        from store.migrate import upgrade

        upgrade(db)
    return db
