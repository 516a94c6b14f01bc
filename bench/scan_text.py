"""Plain-text throughput of `baomi scan` (issue 7, first figure): MB/s, warm cache, on a
generated UTF-8 corpus of mixed Chinese/English prose in files of 1–8 MB, with 1,000 and
10,000 keywords plus the marks, every match reported with its line, at 1 and 2 jobs, beside
ripgrep on the same corpus in the same run (`rg -F -f keywords --count-matches -j N`).

    python bench/scan_text.py [--size-mb 1024] [--dir DIR] [--seed 7]

The corpus goes to a temporary directory outside the repository (or --dir, kept). The last
line printed is the figure.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from baomi.scanner import runner
from baomi.scanner.matching import Matcher, hyperscan_available
from baomi.scanner.model import KEYWORD, MARK, Limits
from baomi.scanner.profiles import load_profile
from baomi.scanner.text import scan_plain_file

COMMON = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
          "说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制当使点从业本去把性好"
          "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
          "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特"
          "件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队")
ENGLISH = ["the", "report", "system", "network", "data", "model", "project", "meeting", "plan", "review",
           "security", "design", "test", "server", "client", "version", "update", "policy", "budget",
           "schedule", "office", "document", "check", "device"]
MARKS = ("机密★20年", "秘密★6个月", "绝密★长期", "机 密 ★ 1 0 年", "秘密★２年")
SENTENCES = 20000
KEYWORD_RATE = 1 / 400  # sentences carrying a planted keyword: about one hit per 20 KB
MARK_RATE = 1 / 20000  # sentences carrying a planted mark in running text


def word(rng: random.Random) -> str:
    return "".join(rng.choices(COMMON, k=rng.choice((1, 2, 2, 2, 3, 4))))


def sentence(rng: random.Random) -> str:
    parts = [(" " + rng.choice(ENGLISH) + " ") if rng.random() < 0.15 else word(rng)
             for _ in range(rng.randint(6, 24))]
    return "".join(parts) + rng.choice("。，；！？：")


def keyword_list(rng: random.Random, count: int, start: list[str] | None = None) -> list[str]:
    """Made-up terms (3–5 Chinese characters, or English compounds) that prose rarely holds."""
    terms = dict.fromkeys(start or [])
    while len(terms) < count:
        if rng.random() < 0.8:
            terms["".join(rng.choices(COMMON, k=rng.choice((3, 4, 4, 5))))] = None
        else:
            terms[f"{rng.choice(ENGLISH)}-{rng.randint(10, 9999)}{rng.choice(ENGLISH)}"] = None
    return list(terms)


def generate(directory: Path, size_mb: int, seed: int, planted: list[str]) -> int:
    rng = random.Random(seed)
    pool = [sentence(rng) for _ in range(SENTENCES)]
    total, index = 0, 0
    while total < size_mb * 2**20:
        target = rng.randint(1, 8) * 2**20
        out = [rng.choice(MARKS) + "\n"] if rng.random() < 0.3 else []
        size = 0
        while size < target:
            text = rng.choice(pool)
            if rng.random() < KEYWORD_RATE:
                text = text[:5] + rng.choice(planted) + text[5:]
            if rng.random() < MARK_RATE:
                text = text + rng.choice(MARKS)
            if rng.random() < 0.1:
                text += "\n"
            out.append(text)
            size += len(text.encode("utf-8"))
        data = "".join(out).encode("utf-8")
        (directory / f"doc{index:05d}.txt").write_bytes(data)
        total += len(data)
        index += 1
    return total


_worker_matcher: Matcher | None = None


def _init_worker(matcher: Matcher) -> None:
    global _worker_matcher
    _worker_matcher = matcher


def _scan_one(path: str) -> tuple[int, int]:
    assert _worker_matcher is not None
    _, findings = scan_plain_file(path, _worker_matcher)
    assert all(finding.location.line for finding in findings)
    return (sum(1 for f in findings if f.kind == KEYWORD), sum(1 for f in findings if f.kind == MARK))


def cpu_seconds() -> float:
    """CPU time of this process and its waited-for children (pool workers, rg)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def scan(files: list[str], matcher: Matcher, jobs: int) -> tuple[float, tuple[int, int]]:
    started = time.perf_counter()
    if jobs == 1:
        _init_worker(matcher)
        counts = [_scan_one(path) for path in files]
    else:
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(matcher,)) as pool:
            counts = list(pool.map(_scan_one, files, chunksize=1))
    elapsed = time.perf_counter() - started
    return elapsed, (sum(c[0] for c in counts), sum(c[1] for c in counts))


def scan_product(corpus: Path, keywords: list[str], jobs: int) -> tuple[float, tuple[int, int]]:
    """The whole of `baomi scan --no-traces --no-cache --jobs N corpus`: walk, detect, match,
    judge, and the JSON report with every finding and its line."""
    started = time.perf_counter()
    report = runner.scan([str(corpus)], matcher_keywords=keywords, profile=load_profile("unclassified"),
                         limits=Limits(), jobs=jobs)
    elapsed = time.perf_counter() - started
    found = [finding for entry in report["files"] for finding in entry["findings"]]
    assert all(finding["location"].get("line") for finding in found)
    kinds = [finding["kind"] for finding in found]
    return elapsed, (kinds.count(KEYWORD), kinds.count(MARK))


def ripgrep() -> str:
    beside = Path(sys.executable).parent / "rg"
    return str(beside) if beside.exists() else (shutil.which("rg") or "rg")


def best_of(repeat: int, measure: Callable[[], tuple[float, Any]]) -> tuple[float, float, Any]:
    """(wall seconds, cpu seconds, result) of the fastest of `repeat` runs."""
    runs = []
    for _ in range(max(1, repeat)):
        cpu_before = cpu_seconds()
        seconds, result = measure()
        runs.append((seconds, cpu_seconds() - cpu_before, result))
    return min(runs, key=lambda run: run[0])


def run_rg(directory: Path, keywords_file: Path, jobs: int) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run([ripgrep(), "-F", "-f", str(keywords_file), "--count-matches", "-j", str(jobs),
                             "--no-ignore", "--no-messages", str(directory)],
                            capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    hits = sum(int(line.rsplit(":", 1)[1]) for line in result.stdout.splitlines() if ":" in line)
    return elapsed, hits


def warm(files: list[str]) -> None:
    for path in files:
        with open(path, "rb") as handle:
            while handle.read(1 << 24):
                pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, help="generate the corpus here and keep it")
    parser.add_argument("--engines", default="hyperscan,ahocorasick")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each measurement; the fastest counts (the machine may be shared)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    keywords_1k = keyword_list(rng, 1000)
    keywords_10k = keyword_list(rng, 10000, keywords_1k)
    directory = args.dir or Path(tempfile.mkdtemp(prefix="baomi-bench-text-"))
    directory.mkdir(parents=True, exist_ok=True)
    corpus = directory / "corpus"
    corpus.mkdir(exist_ok=True)
    try:
        started = time.perf_counter()
        size = generate(corpus, args.size_mb, args.seed, keywords_1k)
        files = sorted(str(path) for path in corpus.iterdir())
        print(f"corpus: {len(files)} files, {size / 2**20:.0f} MB in {time.perf_counter() - started:.1f} s "
              f"({corpus})")
        warm(files)
        figures = []
        for keywords in (keywords_1k, keywords_10k):
            keywords_file = directory / f"keywords-{len(keywords)}.txt"
            keywords_file.write_text("\n".join(keywords) + "\n", encoding="utf-8")
            for jobs in (1, 2):
                rg_seconds, rg_cpu, rg_hits = best_of(args.repeat,
                                                      partial(run_rg, corpus, keywords_file, jobs))
                rg_rate = size / 2**20 / rg_seconds
                print(f"  rg          {len(keywords):>6} keywords  -j{jobs}: {rg_rate:7.0f} MB/s  "
                      f"{size / 2**20 / rg_cpu:5.0f} MB/cpu-s  {rg_hits} hits")
                for engine in args.engines.split(","):
                    if engine == "hyperscan" and not hyperscan_available():
                        continue
                    built = time.perf_counter()
                    matcher = Matcher(keywords, engine=engine)
                    build = time.perf_counter() - built
                    seconds, cpu, (hits, marks) = best_of(args.repeat if engine == "hyperscan" else 1,
                                                         partial(scan, files, matcher, jobs))
                    rate = size / 2**20 / seconds
                    print(f"  {engine:<11} {len(keywords):>6} keywords  -j{jobs}: {rate:7.0f} MB/s  "
                          f"{size / 2**20 / cpu:5.0f} MB/cpu-s  {hits} keyword hits, {marks} marks, "
                          f"built in {build:.2f} s, {rate / rg_rate:.2f}x rg (cpu {rg_cpu / cpu:.2f}x)")
                    figures.append(f"{engine} {len(keywords)}kw j{jobs} {rate:.0f} MB/s "
                                   f"({rate / rg_rate:.1f}x rg)")
                seconds, cpu, (hits, marks) = best_of(args.repeat,
                                                     partial(scan_product, corpus, keywords, jobs))
                rate = size / 2**20 / seconds
                print(f"  baomi scan  {len(keywords):>6} keywords  -j{jobs}: {rate:7.0f} MB/s  "
                      f"{size / 2**20 / cpu:5.0f} MB/cpu-s  {hits} keyword hits, {marks} marks, "
                      f"{rate / rg_rate:.2f}x rg (cpu {rg_cpu / cpu:.2f}x)  [the CLI's runner, JSON report]")
                figures.append(f"baomi scan {len(keywords)}kw j{jobs} {rate:.0f} MB/s "
                               f"({rate / rg_rate:.1f}x rg)")
        print("figure: " + "; ".join(figures))
    finally:
        if args.dir is None:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
