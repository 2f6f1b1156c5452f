"""A fresh results store on each backend: a SQLite file always, PostgreSQL where GONGKAI_TEST_POSTGRES names a
server (`.ci/run` starts one on loopback and sets it; elsewhere those tests skip and say why).

A test module imports the fixtures it uses from here."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from nlp.store import Store, store_url
from nlp.store.models import Base

POSTGRES = os.environ.get("GONGKAI_TEST_POSTGRES")
NO_POSTGRES = (
    "no PostgreSQL server for the store tests: set GONGKAI_TEST_POSTGRES=postgresql://user@127.0.0.1:PORT/db "
    "(.ci/run starts one)"
)


def empty_postgres(url: str) -> None:
    engine = create_engine(store_url(url))
    try:
        Base.metadata.drop_all(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must start PostgreSQL and set GONGKAI_TEST_POSTGRES (.ci/run does)", pytrace=False)
        pytest.skip(NO_POSTGRES)
    return request.param


@pytest.fixture()
def store_name(backend: str, tmp_path: Path) -> str:
    """The test's store, empty at its start: a SQLite file, or the PostgreSQL database with its tables dropped."""
    if backend == "sqlite":
        return str(tmp_path / "results.db")
    assert POSTGRES
    empty_postgres(POSTGRES)
    return POSTGRES


@pytest.fixture()
def store(store_name: str) -> Iterator[Store]:
    opened = Store(store_name)
    yield opened
    opened.close()
