"""Office files per second at 2 jobs (issue 7 figure): each file is read, typed from its content,
extracted and matched against 1,000 keywords plus the marks; every planted mark must be found.

Targets: .docx ≥ 1,000/s, .xlsx ≥ 100/s, .pdf ≥ 100/s (14-page text-layer PDFs).
    PYTHONPATH=src python bench/scan_office.py [--docx 3000] [--xlsx 300] [--pdf 300] [--jobs 2]
The files are generated in a temporary directory first (not timed); the pool is started and
warmed before the clock starts; the page cache is warm (the files were just written).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from scan_corpus import keywords, make_docx_files, make_pdf_files, make_xlsx_files  # noqa: E402

from baomi.scanner.detect import detect_type_of  # noqa: E402
from baomi.scanner.extract import extract_as  # noqa: E402
from baomi.scanner.matching import Matcher  # noqa: E402
from baomi.scanner.model import MARK, Limits  # noqa: E402

TARGETS = {"docx": 1000, "xlsx": 100, "pdf": 100}
BATCH = 32
_matcher: Matcher | None = None


def _start_worker(terms: list[str]) -> None:
    global _matcher
    _matcher = Matcher(terms)


def scan_batch(batch: list[tuple[str, list[str]]]) -> tuple[int, int, int]:
    """(files, planted marks found, planted marks) for a batch of (path, planted mark texts)."""
    assert _matcher is not None
    limits = Limits()
    found = planted = 0
    for path, marks in batch:
        data = Path(path).read_bytes()
        extracted = extract_as(detect_type_of(data, path), data, path, limits)
        findings = _matcher.scan_segments(extracted.segments)
        texts = {finding.text for finding in findings if finding.kind == MARK}
        planted += len(marks)
        found += sum(mark in texts for mark in marks)
    return len(batch), found, planted


def measure(pool: ProcessPoolExecutor, planted: dict[Path, list[str]]) -> tuple[int, float, int, int]:
    items = [(str(path), marks) for path, marks in planted.items()]
    batches = [items[start: start + BATCH] for start in range(0, len(items), BATCH)]
    started = time.perf_counter()
    results = list(pool.map(scan_batch, batches))
    seconds = time.perf_counter() - started
    return (sum(r[0] for r in results), seconds, sum(r[1] for r in results), sum(r[2] for r in results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docx", type=int, default=3000)
    parser.add_argument("--xlsx", type=int, default=300)
    parser.add_argument("--pdf", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keywords", type=int, default=1000)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="baomi-office-bench-"))
    try:
        started = time.perf_counter()
        corpora = {"docx": make_docx_files(folder / "docx", options.docx),
                   "xlsx": make_xlsx_files(folder / "xlsx", options.xlsx),
                   "pdf": make_pdf_files(folder / "pdf", options.pdf)}
        print(f"generated in {time.perf_counter() - started:.1f} s under {folder}")
        terms = keywords(options.keywords)
        with ProcessPoolExecutor(options.jobs, initializer=_start_worker, initargs=(terms,)) as pool:
            warm = {kind: dict(list(planted.items())[: options.jobs]) for kind, planted in corpora.items()}
            for planted in warm.values():
                measure(pool, planted)
            figures = []
            for kind, planted in corpora.items():
                files, seconds, found, total = measure(pool, planted)
                rate = files / seconds
                figures.append(f"{kind} {rate:,.0f}/s (target {TARGETS[kind]:,}, marks {found}/{total})")
                print(f"{kind:5} files {files:6}  seconds {seconds:6.2f}  files/s {rate:8,.0f}  "
                      f"marks found {found}/{total}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"office files per second at {options.jobs} jobs, {options.keywords} keywords: "
          + "; ".join(figures))


if __name__ == "__main__":
    main()
