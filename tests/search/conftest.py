"""Fixtures for search tests: a deterministic encoder and a small corpus of Indonesian docs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from search_fixtures import make_doc

from search.encoder import HashingEncoder
from search.records import IndexDoc


@pytest.fixture
def encoder() -> HashingEncoder:
    return HashingEncoder(128)


@pytest.fixture
def corpus() -> list[IndexDoc]:
    return [
        make_doc(
            1,
            "Warga Kampung Tangguh Semeru membangun lumbung pangan untuk keluarga yang "
            "menjalani isolasi mandiri.\n\nSetiap pagi relawan mengantar beras dan sayur.",
            title="Lumbung pangan warga Semeru",
            published_at="2020-06-14T09:30:00+07:00",
            site="kampungtangguh.blogspot.com",
        ),
        make_doc(
            2,
            "Posko kesehatan desa memeriksa suhu tubuh pendatang dan membagikan masker.",
            title="Posko kesehatan di gerbang kampung",
            kind="article",
            site="jatimprov.go.id",
            published_at="2020-05",
        ),
        make_doc(
            3,
            "Resep nasi goreng kampung yang enak dan murah untuk anak kos.",
            title="Resep nasi goreng",
            kind="comment",
            site="www.resepku.com",
            published_utc=datetime(2021, 1, 31, 20, 0, tzinfo=UTC),  # Feb 1 in Jakarta
        ),
        make_doc(
            4,
            "Warga Kampung Tangguh Semeru membangun lumbung pangan untuk keluarga yang "
            "menjalani isolasi mandiri.\n\nSetiap pagi relawan mengantar beras dan sayur.",
            title="Lumbung pangan warga Semeru",
            published_at="2020-06-15",
            site="copy.example.com",
            duplicate_of="https://blog1.example.id/p/1.html",
        ),
    ]


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "tangguh.index"


@pytest.fixture(scope="session")
def e5_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The converted model: the repo's folder when `make setup` made it, else a fresh one."""
    from search.convert import convert
    from search.encoder import model_path

    path = model_path()
    if isinstance(path, Path) and (path / "tangguh_model.json").exists():
        convert(path)  # no-op when current
        return path
    out = tmp_path_factory.mktemp("model") / "multilingual-e5-small"
    convert(out)
    return out
