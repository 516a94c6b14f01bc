"""Extraction results cached by content hash, in a SQLite file outside the scanned tree.

The key is (sha256 of the file's bytes, extractor version): mtime is not trusted, so one
changed byte means a new key and a fresh extraction. Only extraction is cached — the text
and where it came from — never findings: matching always runs again, so a changed keyword
list takes effect on the next scan. Values are zlib-compressed JSON.

Several worker processes write at once: the database runs in WAL mode with a busy timeout,
and a write that still meets a lock is retried a few times, then given up (a cache miss
costs time, never a wrong result).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import zlib
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS extraction (
    sha256 TEXT NOT NULL,
    version TEXT NOT NULL,
    payload BLOB NOT NULL,
    PRIMARY KEY (sha256, version)
)
"""
WRITE_RETRIES = 5


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "baomi" / "scan-cache.sqlite"


def cache_files(path: Path) -> list[str]:
    """The file and its WAL companions: the walker never enters them."""
    return [str(path.absolute()) + suffix for suffix in ("", "-wal", "-shm", "-journal")]


def open_cache(path: Path) -> ExtractionCache | None:
    """The cache, or None where it cannot be opened (read-only home, full disk): the scan goes
    on without it rather than failing."""
    try:
        return ExtractionCache(path)
    except (OSError, sqlite3.Error):
        return None


class ExtractionCache:
    """One connection per process; open it in the worker, not before forking."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(SCHEMA)
        self.hits = 0
        self.misses = 0

    def get(self, sha256: str, version: str) -> Any | None:
        row = self._db.execute(
            "SELECT payload FROM extraction WHERE sha256 = ? AND version = ?", (sha256, version)
        ).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(zlib.decompress(row[0]))

    def put(self, sha256: str, version: str, value: Any) -> bool:
        payload = zlib.compress(json.dumps(value, ensure_ascii=False).encode(), 6)
        for attempt in range(WRITE_RETRIES):
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO extraction VALUES (?, ?, ?)", (sha256, version, payload)
                )
                return True
            except sqlite3.OperationalError:
                time.sleep(0.05 * (attempt + 1))
        return False

    def close(self) -> None:
        self._db.close()
