"""Peak memory of `baomi scan --jobs 2` over a generated mixed corpus (default 1 GB).

The corpus: plain text (UTF-8 and GB18030, small to 200 MB files) for about 80 % of the bytes,
the rest .docx, .xlsx, 14-page .pdf and .zip archives of documents. The CLI runs in a child
process; a sampler reads the memory of that process and its workers from /proc every 50 ms:
the sum of PSS (proportional set size: pages the forked workers share with the parent are
counted once) and, for comparison, the sum of RSS. `getrusage(RUSAGE_CHILDREN)` gives the
largest single process. Target (issue 7): at most 300 MB.

    python bench/scan_memory.py [--size-mb 1024] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from scan_cache import archive, docx_template, pdf_template, variant, xlsx_template  # noqa: E402

MB = 1024 * 1024
WORDS = (
    "会议",
    "纪要",
    "项目",
    "进度",
    "报告",
    "计划",
    "预算",
    "采购",
    "人员",
    "培训",
    "检查",
    "整改",
    "network",
    "report",
    "budget",
    "2026",
    "第一季度",
    "通知",
    "安排",
    "落实",
)
TEXT_SIZES_MB = (200, 100, 50, 20, 10, 5, 2, 1)  # big files first, then many small ones


def text_block(rng: random.Random, lines: int) -> str:
    rows = []
    for number in range(lines):
        words = rng.choices(WORDS, k=12)
        if number % 5000 == 17:
            words.insert(3, "机密★10年")
        rows.append("".join(words))
    return "\n".join(rows) + "\n"


def write_text_file(path: Path, size: int, rng: random.Random, encoding: str) -> int:
    block = text_block(rng, 20_000).encode(encoding)
    written = 0
    with path.open("wb") as handle:
        while written < size:
            piece = block[: size - written]
            handle.write(piece)
            written += len(piece)
    return written


def build_corpus(root: Path, size: int, seed: int = 0) -> dict[str, int]:
    rng = random.Random(seed)
    counts = {"text": 0, "docx": 0, "xlsx": 0, "pdf": 0, "zip": 0}
    text_budget, total = int(size * 0.8), 0
    for index in range(100_000):
        remaining = text_budget - total
        if remaining <= 0:
            break
        fitting = [mb * MB for mb in TEXT_SIZES_MB if mb * MB <= remaining] or [remaining]
        encoding = "gb18030" if index % 3 == 0 else "utf-8"
        total += write_text_file(root / "text" / f"t{index:05d}.txt", fitting[0], rng, encoding)
        counts["text"] += 1
    docx, xlsx, pdf = docx_template(), xlsx_template(), pdf_template()
    for index in range(1_000_000):
        if total >= size:
            break
        folder = root / "office" / f"d{index // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        kind = ("docx", "docx", "xlsx", "zip", "pdf", "docx")[index % 6]
        if kind == "docx":
            data = variant(docx, index)
        elif kind == "xlsx":
            data = variant(xlsx, index)
        elif kind == "zip":
            data = archive(docx, index)
        else:  # a unique trailing comment: another hash, the same text
            data = pdf + f"%{index:08d}\n".encode()
        (folder / f"f{index:06d}.{kind}").write_bytes(data)
        total += len(data)
        counts[kind] += 1
    return counts


def memory_of_tree(pid: int) -> tuple[int, int]:
    """(sum of PSS, sum of RSS) in bytes of `pid` and its descendants."""
    pids, pss, rss = [pid], 0, 0
    while pids:
        current = pids.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        pids.extend(int(child) for child in children)
        for line in rollup.splitlines():
            name, _, value = line.partition(":")
            if name in ("Pss", "Rss"):
                kilobytes = int(value.split()[0]) * 1024
                pss, rss = (pss + kilobytes, rss) if name == "Pss" else (pss, rss + kilobytes)
    return pss, rss


def run_scan(corpus: Path, jobs: int, output: Path) -> tuple[float, int, int, int]:
    code = "import sys; from baomi.scanner.cli import main; sys.exit(main(sys.argv[1:]))"
    argv = [
        sys.executable,
        "-c",
        code,
        "--jobs",
        str(jobs),
        "--no-traces",
        "--no-cache",
        "-q",
        "-o",
        str(output),
        str(corpus),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    peak = {"pss": 0, "rss": 0}
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env)

    def sample() -> None:
        while process.poll() is None:
            pss, rss = memory_of_tree(process.pid)
            peak["pss"], peak["rss"] = max(peak["pss"], pss), max(peak["rss"], rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    sampler.join()
    elapsed = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"scan failed with exit code {process.returncode}")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
    return elapsed, peak["pss"], peak["rss"], largest


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="baomi-scan-memory-") as work:
        corpus = Path(work) / "corpus"
        (corpus / "text").mkdir(parents=True)
        started = time.perf_counter()
        counts = build_corpus(corpus, args.size_mb * MB)
        size = sum(path.stat().st_size for path in corpus.rglob("*") if path.is_file())
        print(f"corpus: {size / MB:.0f} MB, {counts} (built in {time.perf_counter() - started:.0f} s)")
        elapsed, pss, rss, largest = run_scan(corpus, args.jobs, Path(work) / "report.json")
        print(f"scan with --jobs {args.jobs}: {elapsed:.1f} s ({size / MB / elapsed:.0f} MB/s)")
        print(f"largest single process (max RSS): {largest / MB:.0f} MB; peak sum of RSS: {rss / MB:.0f} MB")
        print(f"peak memory of the scan (sum of PSS, main + workers): {pss / MB:.0f} MB (target <= 300 MB)")


if __name__ == "__main__":
    main()
