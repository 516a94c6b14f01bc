"""The walker: regular files once each, everything else a skip with a reason; never writes."""

from __future__ import annotations

import os
import socket

import pytest

from baomi.scanner.model import Limits
from baomi.scanner.walk import FileEntry, SkipEntry, walk


def collect(paths, limits=None, **kwargs):
    limits = limits or Limits()
    files, skips = {}, {}
    for entry in walk([str(p) for p in paths], limits, **kwargs):
        if isinstance(entry, FileEntry):
            assert entry.path not in files, "a file is reported once"
            files[entry.path] = entry.size
        else:
            assert isinstance(entry, SkipEntry)
            skips[entry.path] = entry.reason
    return files, skips


def test_regular_files_in_nested_directories(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_bytes(b"12345")
    (tmp_path / "y.txt").write_bytes(b"")
    files, skips = collect([tmp_path])
    assert files == {str(tmp_path / "a" / "b" / "x.txt"): 5, str(tmp_path / "y.txt"): 0}
    assert skips == {}


def test_a_single_file_path(tmp_path):
    (tmp_path / "x.txt").write_text("hello")
    files, _ = collect([tmp_path / "x.txt"])
    assert list(files) == [str(tmp_path / "x.txt")]


def test_size_limit_boundary(tmp_path):
    (tmp_path / "at.bin").write_bytes(b"x" * 100)
    (tmp_path / "over.bin").write_bytes(b"x" * 101)
    files, skips = collect([tmp_path], Limits(max_file_bytes=100))
    assert list(files) == [str(tmp_path / "at.bin")]
    assert skips == {str(tmp_path / "over.bin"): "too_large"}


def test_fifo_and_socket_are_skipped_as_device(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    try:
        files, skips = collect([tmp_path])
    finally:
        server.close()
    assert files == {}
    assert skips == {str(tmp_path / "pipe"): "device", str(tmp_path / "sock"): "device"}


def test_character_device_is_skipped(tmp_path):
    _, skips = collect(["/dev/null"])
    assert skips == {"/dev/null": "device"}


def test_symlink_loops_end(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.txt").write_text("x")
    (tmp_path / "d" / "up").symlink_to(tmp_path)  # points at an ancestor
    (tmp_path / "self").symlink_to(tmp_path / "self")  # ELOOP
    files, skips = collect([tmp_path])
    assert list(files) == [str(tmp_path / "d" / "f.txt")]
    assert skips == {str(tmp_path / "d" / "up"): "symlink_loop", str(tmp_path / "self"): "symlink_loop"}


def test_symlinked_directory_followed_once(tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "f.txt").write_text("x")
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "link").symlink_to(tmp_path / "outside")
    files, _ = collect([tmp_path / "tree"])
    assert list(files) == [str(tmp_path / "tree" / "link" / "f.txt")]


def test_dangling_link_is_ignored(tmp_path):
    (tmp_path / "gone").symlink_to(tmp_path / "nothing")
    assert collect([tmp_path]) == ({}, {})


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any directory")
def test_unreadable_directory(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "f.txt").write_text("x")
    locked.chmod(0)
    try:
        files, skips = collect([tmp_path])
    finally:
        locked.chmod(0o755)
    assert files == {}
    assert skips == {str(locked): "unreadable"}


def test_excludes_by_name_and_path_and_skip_paths(tmp_path):
    for name in ("keep.txt", "drop.log", "cache.sqlite"):
        (tmp_path / name).write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("x")
    files, _ = collect(
        [tmp_path], excludes=["*.log", str(tmp_path / ".git")], skip_paths=[str(tmp_path / "cache.sqlite")]
    )
    assert list(files) == [str(tmp_path / "keep.txt")]


def test_root_skips_pseudo_filesystems():
    from baomi.scanner.walk import SYSTEM_DIRS, Walker

    walker = Walker(Limits())
    entries = walker.walk(["/"])
    next(entries, None)  # starting the walk registers the system directories
    assert set(SYSTEM_DIRS) <= walker.skip_paths


def test_walk_changes_no_atime_or_mtime(tmp_path):
    (tmp_path / "f.txt").write_text("x")
    os.utime(tmp_path / "f.txt", (1_000_000, 2_000_000))
    collect([tmp_path])
    info = os.stat(tmp_path / "f.txt")
    assert (info.st_atime, info.st_mtime) == (1_000_000, 2_000_000)
