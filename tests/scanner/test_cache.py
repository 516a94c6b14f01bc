"""The extraction cache: keyed by content hash and extractor version, safe with many writers."""

from __future__ import annotations

import multiprocessing
import sqlite3

from baomi.scanner.cache import ExtractionCache, cache_files, default_cache_path


def test_round_trip_and_version_key(tmp_path):
    cache = ExtractionCache(tmp_path / "c.sqlite")
    value = {"type": "docx", "nodes": [{"segments": [["机密★20年", {"part": "header"}]]}]}
    assert cache.get("ab" * 32, "1") is None
    assert cache.put("ab" * 32, "1", value)
    assert cache.get("ab" * 32, "1") == value
    assert cache.get("ab" * 32, "2") is None, "another extractor version is another key"
    assert (cache.hits, cache.misses) == (1, 2)


def test_values_are_compressed(tmp_path):
    cache = ExtractionCache(tmp_path / "c.sqlite")
    cache.put("00" * 32, "1", {"text": "重复的文字" * 10_000})
    (size,) = (
        sqlite3.connect(tmp_path / "c.sqlite").execute("SELECT length(payload) FROM extraction").fetchone()
    )
    assert size < 5_000


def test_default_path_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_path() == tmp_path / "baomi" / "scan-cache.sqlite"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_path() == tmp_path / "home" / ".cache" / "baomi" / "scan-cache.sqlite"


def test_cache_files_include_wal_companions(tmp_path):
    names = cache_files(tmp_path / "c.sqlite")
    assert str(tmp_path / "c.sqlite-wal") in names and str(tmp_path / "c.sqlite") in names


def write_many(path: str, worker: int) -> None:
    from pathlib import Path

    cache = ExtractionCache(Path(path))
    for i in range(100):
        assert cache.put(f"{worker:02d}{i:062d}", "1", {"worker": worker, "i": i})


def test_concurrent_writers_do_not_corrupt(tmp_path):
    path = tmp_path / "c.sqlite"
    ExtractionCache(path).close()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=write_many, args=(str(path), n)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT count(*) FROM extraction").fetchone() == (400,)
    cache = ExtractionCache(path)
    assert cache.get(f"03{99:062d}", "1") == {"worker": 3, "i": 99}


def test_an_unusable_cache_path_gives_no_cache(tmp_path):
    from baomi.scanner.cache import open_cache

    (tmp_path / "file").write_text("x")
    assert open_cache(tmp_path / "file" / "c.sqlite") is None  # its parent is a file
    assert open_cache(tmp_path / "ok" / "c.sqlite") is not None
