"""Where things live next to a database: the search index, dead letters, logs, locks."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from store.db import sqlite_path


def data_dir_for(db_url: str) -> Path:
    path = sqlite_path(db_url)
    return path.parent if path is not None else Path("data")


def _stem(db_url: str) -> str:
    path = sqlite_path(db_url)
    if path is not None:
        return path.stem
    return "db-" + hashlib.sha256(db_url.encode()).hexdigest()[:10]


def index_dir_for(db_url: str) -> Path:
    """The search index folder: env TANGGUH_INDEX, else `<db stem>.index` beside the DB."""
    if env := os.environ.get("TANGGUH_INDEX"):
        return Path(env)
    return data_dir_for(db_url) / f"{_stem(db_url)}.index"


def dead_letter_for(db_url: str) -> Path:
    return data_dir_for(db_url) / f"{_stem(db_url)}.deadletter.jsonl"


def lock_for(db_url: str) -> Path:
    return data_dir_for(db_url) / f"{_stem(db_url)}.lock"


def log_dir_for(db_url: str) -> Path:
    return data_dir_for(db_url) / "logs"


def jobs_dir_for(db_url: str) -> Path:
    """Scrapy job directories (one per source) of the crawls of this database."""
    return data_dir_for(db_url) / f"{_stem(db_url)}.jobs"
