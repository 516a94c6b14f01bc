"""Walk the paths given to `baomi scan`: regular files only, each reported once.

Nothing here writes to the scanned tree: directories are listed with `os.scandir`, files are
only `stat`ed. Device files, fifos and sockets, symlink loops, unreadable entries and files
over the size limit come back as skips with a stable reason code (docs/scan-report.md).
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from baomi.scanner.model import Limits

# Pseudo file systems that are not files a person stored; skipped when scanning "/".
SYSTEM_DIRS = ("/proc", "/sys", "/dev", "/run")


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: str
    size: int


@dataclass(frozen=True, slots=True)
class SkipEntry:
    path: str
    reason: str
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason, "detail": self.detail}


def open_noatime(path: str | os.PathLike[str]) -> int:
    """Open for reading without updating atime where the OS lets us (O_NOATIME needs the
    file's owner or CAP_FOWNER); fall back to a plain read-only open."""
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    noatime = getattr(os, "O_NOATIME", 0)
    if noatime:
        try:
            return os.open(path, flags | noatime)
        except PermissionError:
            pass
    return os.open(path, flags)


class Walker:
    """Yields `FileEntry` and `SkipEntry` for everything under `paths`.

    `excludes` are glob patterns matched against the full path and the base name.
    `skip_paths` are exact paths never entered (the cache file, its WAL, …)."""

    def __init__(self, limits: Limits, excludes: Iterable[str] = (), skip_paths: Iterable[str] = ()):
        self.limits = limits
        self.excludes = list(excludes)
        self.skip_paths = {os.path.abspath(p) for p in skip_paths}
        self._seen_dirs: set[tuple[int, int]] = set()
        self._seen_files: set[tuple[int, int]] = set()

    def walk(self, paths: Iterable[str]) -> Iterator[FileEntry | SkipEntry]:
        for given in paths:
            path = os.path.abspath(given)
            if path == "/":
                self.skip_paths.update(SYSTEM_DIRS)
            yield from self._visit(path, top=True)

    def _excluded(self, path: str) -> bool:
        if path in self.skip_paths:
            return True
        name = os.path.basename(path)
        return any(
            fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(name, pattern) for pattern in self.excludes
        )

    def _visit(self, path: str, top: bool = False) -> Iterator[FileEntry | SkipEntry]:
        if not top and self._excluded(path):
            return
        try:
            info = os.stat(path)  # follows symlinks: a link to a file is checked as that file
        except FileNotFoundError:
            if os.path.islink(path):
                return  # a dangling link points at nothing to check
            yield SkipEntry(path, "unreadable", "file not found")
            return
        except OSError as error:
            reason = "symlink_loop" if error.errno == 40 else "unreadable"  # ELOOP
            yield SkipEntry(path, reason, error.strerror or str(error))
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self._visit_dir(path, info)
        elif stat.S_ISREG(info.st_mode):
            yield from self._visit_file(path, info)
        else:
            yield SkipEntry(path, "device", _kind_of(info.st_mode))

    def _visit_dir(self, path: str, info: os.stat_result) -> Iterator[FileEntry | SkipEntry]:
        key = (info.st_dev, info.st_ino)
        if key in self._seen_dirs:  # a symlinked directory seen before: follow it once only
            if os.path.islink(path):
                yield SkipEntry(path, "symlink_loop", "directory already visited")
            return
        self._seen_dirs.add(key)
        try:
            with os.scandir(path) as listing:
                names = sorted(entry.name for entry in listing)
        except OSError as error:
            yield SkipEntry(path, "unreadable", error.strerror or str(error))
            return
        for name in names:
            yield from self._visit(os.path.join(path, name))

    def _visit_file(self, path: str, info: os.stat_result) -> Iterator[FileEntry | SkipEntry]:
        key = (info.st_dev, info.st_ino)
        if key in self._seen_files:  # the same file by a second name (hard or symbolic link)
            return
        self._seen_files.add(key)
        if info.st_size > self.limits.max_file_bytes:
            yield SkipEntry(path, "too_large", f"{info.st_size} bytes > {self.limits.max_file_bytes}")
            return
        if not os.access(path, os.R_OK):
            yield SkipEntry(path, "unreadable", "permission denied")
            return
        yield FileEntry(path, info.st_size)


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    return "not a regular file"


def walk(
    paths: Iterable[str], limits: Limits, excludes: Iterable[str] = (), skip_paths: Iterable[str] = ()
) -> Iterator[FileEntry | SkipEntry]:
    return Walker(limits, excludes, skip_paths).walk(paths)
