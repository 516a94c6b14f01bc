"""Text out of files: `extract(data, name, limits)` detects the type from the content and hands
the bytes to the extractor of that family. Whatever a damaged file makes a library do, the
answer is an `Extracted` or a `Skip`, never another exception."""

from __future__ import annotations

from collections.abc import Callable

from baomi.scanner.detect import detect_type_of
from baomi.scanner.extract.archive import extract_7z, extract_gz, extract_tar, extract_zip
from baomi.scanner.extract.budget import Budget
from baomi.scanner.extract.legacy import extract_ole
from baomi.scanner.extract.mail import extract_eml
from baomi.scanner.extract.markup import extract_html, extract_rtf
from baomi.scanner.extract.ooxml import extract_ooxml
from baomi.scanner.extract.pdf import extract_pdf
from baomi.scanner.model import Extracted, Limits, Skip

__all__ = ["extract", "extract_as"]

OLE_KINDS = ("ole", "doc", "xls", "ppt", "wps", "et", "dps")
NOTHING_TO_EXTRACT = ("text", "binary")


def extract(data: bytes, name: str, limits: Limits, *, compressed_size: int | None = None) -> Extracted:
    """Detect the type of `data` (a file or archive member called `name`) and take its text out.

    Plain text comes back as `Extracted(type="text")` with no segments: the runner matches it
    on the fast path. `compressed_size` is what expansion is measured against (the size on
    disk of the scanned file); without it, `len(data)`. The size of `data` itself is the
    runner's to check (it knows before reading); members and parts above
    `limits.max_file_bytes` are skipped here. Raises `Skip` (encrypted, broken, bomb,
    too_large, unsupported)."""
    return extract_as(detect_type_of(data, name), data, name, limits, compressed_size=compressed_size)


def extract_as(kind: str, data: bytes, name: str, limits: Limits, *,
               compressed_size: int | None = None) -> Extracted:
    """`extract` for a type already detected (the runner may have detected it from the head)."""
    if kind in ("zip", "ole"):
        kind = detect_type_of(data, name)  # the head alone cannot always see inside containers
    if kind in NOTHING_TO_EXTRACT:
        return Extracted(type=kind)
    budget = Budget(limits, compressed_size if compressed_size is not None else len(data))
    extractor = _extractor(kind, name, limits, budget)
    try:
        return extractor(data)
    except Skip:
        raise
    except MemoryError as error:
        raise Skip("too_large", "out of memory while extracting") from error
    except Exception as error:  # any library failure on a damaged file: report it, scan on
        raise Skip("broken", f"{type(error).__name__}: {error}"[:300]) from error


def _extractor(kind: str, name: str, limits: Limits, budget: Budget) -> Callable[[bytes], Extracted]:
    if kind in ("docx", "xlsx", "pptx"):
        return lambda data: extract_ooxml(kind, data, budget)
    if kind in OLE_KINDS:
        return lambda data: extract_ole(data, kind)
    simple: dict[str, Callable[[bytes], Extracted]] = {
        "zip": lambda data: extract_zip(data, budget),
        "tar": lambda data: extract_tar(data, budget),
        "gz": lambda data: extract_gz(data, name, budget),
        "7z": lambda data: extract_7z(data, budget),
        "pdf": extract_pdf,
        "rtf": extract_rtf,
        "html": extract_html,
        "eml": lambda data: extract_eml(data, limits),
    }
    if kind not in simple:
        raise Skip("unsupported", f"no extractor for type {kind}")
    return simple[kind]
