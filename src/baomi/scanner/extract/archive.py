"""Archives: zip, tar, gzip, 7z. Members become `children` for the runner to scan in turn
(it owns the nesting depth). Every byte taken out is counted against the budget, whatever
sizes the archive declares."""

from __future__ import annotations

import io
import tarfile
import zipfile
import zlib
from typing import Any

import py7zr
import py7zr.exceptions
import py7zr.io

from baomi.scanner.extract.budget import CHUNK, Budget, TooLarge
from baomi.scanner.model import Extracted, Skip


def extract_zip(data: bytes, budget: Budget) -> Extracted:
    extracted = Extracted(type="zip")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = _member_name(info)
            if info.flag_bits & 0x1:
                extracted.skipped.append((name, "encrypted", "encrypted zip member"))
                continue
            if info.file_size > budget.limits.max_file_bytes:
                extracted.skipped.append((name, "too_large", f"declares {info.file_size} bytes"))
                continue
            try:
                with archive.open(info) as stream:
                    extracted.children.append((name, budget.read(stream)))
            except TooLarge as error:
                extracted.skipped.append((name, "too_large", str(error)))
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as error:
                extracted.skipped.append((name, "broken", str(error) or type(error).__name__))
    return extracted


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip names without the UTF-8 flag are usually GBK on Chinese systems; zipfile decoded
    them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def extract_tar(data: bytes, budget: Budget) -> Extracted:
    extracted = Extracted(type="tar")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
        for member in archive:
            if not member.isfile():
                continue
            if member.size > budget.limits.max_file_bytes:
                extracted.skipped.append((member.name, "too_large", f"{member.size} bytes"))
                continue
            stream = archive.extractfile(member)
            if stream is None:
                continue
            try:
                extracted.children.append((member.name, budget.read(stream)))
            except TooLarge as error:
                extracted.skipped.append((member.name, "too_large", str(error)))
    return extracted


def extract_gz(data: bytes, name: str, budget: Budget) -> Extracted:
    """A gzip stream holds one file (several concatenated members make one too)."""
    inner = _gunzip(data, budget)
    base = name.rsplit("/", 1)[-1]
    lower = base.lower()
    if lower.endswith(".tgz"):
        child = base[:-4] + ".tar"
    elif lower.endswith(".gz"):
        child = base[:-3]
    else:
        child = base + ".out"
    return Extracted(type="gz", children=[(child or "data", inner)])


def _gunzip(data: bytes, budget: Budget) -> bytes:
    parts: list[bytes] = []
    size = 0
    rest = data
    while rest:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = rest
        while pending and not decompressor.eof:
            chunk = decompressor.decompress(pending, CHUNK)
            pending = decompressor.unconsumed_tail
            size += len(chunk)
            budget.charge(len(chunk))
            if size > budget.limits.max_file_bytes:
                raise Skip("too_large", f"decompresses to more than {budget.limits.max_file_bytes} bytes")
            parts.append(chunk)
        if not decompressor.eof:
            raise Skip("broken", "truncated gzip stream")
        rest = decompressor.unused_data.lstrip(b"\0")
    return b"".join(parts)


class _BoundedMember(py7zr.io.Py7zIO):
    """A 7z member written into memory, each write charged to the budget."""

    def __init__(self, name: str, budget: Budget) -> None:
        self.name = name
        self.budget = budget
        self.buffer = io.BytesIO()
        self.too_large = False

    def write(self, s: bytes | bytearray) -> int:
        self.budget.charge(len(s))
        if self.too_large or self.buffer.tell() + len(s) > self.budget.limits.max_file_bytes:
            self.too_large = True
            self.buffer = io.BytesIO()
            return len(s)
        return self.buffer.write(s)

    def read(self, size: int | None = None) -> bytes:
        return self.buffer.getvalue()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.buffer.seek(offset, whence)

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return self.buffer.tell()


class _BoundedFactory(py7zr.io.WriterFactory):
    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.members: list[_BoundedMember] = []

    def create(self, filename: str) -> py7zr.io.Py7zIO:
        member = _BoundedMember(filename, self.budget)
        self.members.append(member)
        return member


def extract_7z(data: bytes, budget: Budget) -> Extracted:
    extracted = Extracted(type="7z")
    try:
        archive: Any = py7zr.SevenZipFile(io.BytesIO(data), mode="r")
    except py7zr.exceptions.PasswordRequired as error:
        raise Skip("encrypted", "7z archive with encrypted headers") from error
    with archive:
        if archive.needs_password():
            raise Skip("encrypted", "7z archive with encrypted members")
        files = [entry for entry in archive.list() if not entry.is_directory]
        oversized = {entry.filename for entry in files
                     if (entry.uncompressed or 0) > budget.limits.max_file_bytes}
        for name in sorted(oversized):
            extracted.skipped.append((name, "too_large", "declared size above the limit"))
        wanted = [entry.filename for entry in files if entry.filename not in oversized]
        if not wanted:
            return extracted
        factory = _BoundedFactory(budget)
        archive.extract(targets=wanted, factory=factory)
    for member in factory.members:
        if member.too_large:
            extracted.skipped.append((member.name, "too_large", "more than the size limit"))
        else:
            extracted.children.append((member.name, member.buffer.getvalue()))
    return extracted
