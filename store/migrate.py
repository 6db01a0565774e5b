"""Alembic, run from code: every open brings the schema to the latest revision."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import OperationalError

from store.db import Database, StoreError

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def current_revision(db: Database) -> str | None:
    with db.reader.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> None:
    """Migrate to `revision`; an up-to-date database is only read (no write lock taken)."""
    cfg = alembic_config(db)
    try:
        if (
            revision == "head"
            and current_revision(db) == ScriptDirectory.from_config(cfg).get_current_head()
        ):
            return
        with db.writer.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()
    except OperationalError as exc:
        raise StoreError(f"cannot open the database {db.url}: {exc.orig}") from exc
