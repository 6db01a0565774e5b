"""Fixtures for the web page's tests: the corpus of webcorpus.py and the app over it."""

from __future__ import annotations

import pytest
from webcorpus import ENCODER_DIM, build

from search.encoder import HashingEncoder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(corpus):
    from starlette.testclient import TestClient

    from store.db import open_database
    from tangguh.web.app import create_app

    db_url, index_dir = corpus
    app = create_app(open_database(db_url), index_dir, encoder=HashingEncoder(ENCODER_DIM))
    with TestClient(app) as c:
        yield c
