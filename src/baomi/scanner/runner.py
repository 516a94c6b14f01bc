"""Run a scan: walk the paths, check every file in a pool of workers, build the v1 report.

Per file (in a worker): read the head → detect the type; plain text goes to the chunked text
fast path (a big file is never held in memory); anything else is read, extracted (or taken
from the cache by content hash), its text matched, and its archive members / attachments
recursed into with the member chain in `Location.member`. File names are matched too, for
members as well.

Time limit per file: the worker arms SIGALRM (`setitimer`) for `max_seconds_per_file`; the
handler raises `FileTimeout`, a BaseException so no extractor's `except Exception` swallows
it, and the file is reported as skipped (`timeout`). Python code is interrupted between
bytecodes; a single C call runs to its end first. For a C call that never ends, the parent's
watchdog (`WorkerPool`) kills the silent worker and skips that file as `timeout` too.
A worker killed by a file (a crash in a C library) costs that file only (`error`). Both need a
pool: `jobs=1` runs in this process, with the alarm only.
Every other exception of a file's work becomes a skipped entry `error`: a scan never crashes
on one file.

Memory: a worker sends back findings only; a clean file is a path and a size, then a count.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from baomi.scanner.cache import ExtractionCache, cache_files, default_cache_path, open_cache
from baomi.scanner.model import MARK, Extracted, Finding, Limits, Location, Segment, Skip
from baomi.scanner.profiles import Profile, keywords_sha256
from baomi.scanner.walk import FileEntry, SkipEntry, open_noatime, walk

HEAD_BYTES = 8192
MEMBER_SEPARATOR = " › "
HASH_CHUNK = 1024 * 1024
# Plain text is read in chunks of this size: 4 MB keeps a worker's text buffers (raw, decoded,
# re-encoded, matched) near 30 MB whatever the file's size, at no measurable cost in speed.
TEXT_CHUNK_BYTES = 4 * 1024 * 1024
Progress = Callable[[str, int], None]


class FileTimeout(BaseException):
    """Raised by the alarm in the middle of one file's work."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (main thread of a process only; elsewhere no limit)."""
    usable = (
        seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise FileTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- what a worker returns --------------------------------------------------------------------


@dataclass(slots=True)
class FileResult:
    path: str
    size: int
    type: str = ""
    sha256: str | None = None
    encoding: str | None = None
    findings: list[Finding] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # the file itself or its members
    scanned: bool = True  # False when the file itself was skipped
    engine: str = ""  # the matcher's engine in the worker, for the report

    @property
    def level(self) -> int:
        return max((f.level or 0 for f in self.findings if f.kind == MARK), default=0)


# --- extraction of one file into a flat tree (what the cache keeps) ---------------------------


@dataclass(slots=True)
class Node:
    member: str | None  # the member chain, None for the scanned file itself
    name: str  # base name, matched for marks (S9: the level is in the file name)
    type: str
    segments: list[Segment]


@dataclass(slots=True)
class Tree:
    type: str
    nodes: list[Node] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (member chain, reason, detail)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "skipped": [list(s) for s in self.skipped],
            "nodes": [
                {
                    "member": n.member,
                    "name": n.name,
                    "type": n.type,
                    "segments": [[s.text, s.location.as_dict()] for s in n.segments],
                }
                for n in self.nodes
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tree:
        nodes = [
            Node(
                n["member"],
                n["name"],
                n["type"],
                [Segment(text, Location(**location)) for text, location in n["segments"]],
            )
            for n in data["nodes"]
        ]
        return cls(data["type"], nodes, [(m, r, d) for m, r, d in data["skipped"]])


def join_members(*parts: str | None) -> str | None:
    names = [part for part in parts if part]
    return MEMBER_SEPARATOR.join(names) if names else None


def decode_member_text(data: bytes) -> str:
    from baomi.scanner.text import decode

    text, _encoding = decode(data)
    return text


class TreeBuilder:
    """Extracts a file and its members depth-first, within the depth and expansion limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.expanded = 0

    def build(self, data: bytes, name: str) -> Tree:
        from baomi.scanner.extract import extract

        extracted = extract(data, name, self.limits, compressed_size=len(data))
        tree = Tree(extracted.type)
        self._add(tree, extracted, data, name, None, depth=0)
        return tree

    def _add(
        self, tree: Tree, extracted: Extracted, data: bytes, name: str, chain: str | None, depth: int
    ) -> None:
        segments = self._segments(extracted, data, chain)
        tree.nodes.append(Node(chain, os.path.basename(name), extracted.type, segments))
        tree.skipped.extend(
            (join_members(chain, member) or "", reason, detail)
            for member, reason, detail in extracted.skipped
        )
        children = extracted.children
        children.reverse()
        while children:  # pop as we go: a member's bytes are freed once it is done
            child_name, child_data = children.pop()
            self._child(
                tree, child_name, child_data, join_members(chain, child_name) or child_name, depth + 1
            )

    def _segments(self, extracted: Extracted, data: bytes, chain: str | None) -> list[Segment]:
        if extracted.type == "text" and not extracted.segments:
            return [Segment(decode_member_text(data), Location(member=chain))]
        return [
            replace(s, location=replace(s.location, member=join_members(chain, s.location.member)))
            for s in extracted.segments
        ]

    def _child(self, tree: Tree, name: str, data: bytes, chain: str, depth: int) -> None:
        from baomi.scanner.extract import extract

        if depth > self.limits.max_depth:
            tree.skipped.append((chain, "too_deep", f"nesting deeper than {self.limits.max_depth}"))
            return
        self.expanded += len(data)
        if self.expanded > self.limits.max_expanded_bytes:
            tree.skipped.append((chain, "bomb", f"more than {self.limits.max_expanded_bytes} bytes expanded"))
            return
        try:
            extracted = extract(data, name, self.limits)
        except Skip as skip:
            tree.skipped.append((chain, skip.code, skip.detail))
            tree.nodes.append(Node(chain, os.path.basename(name), "", []))  # its name is still matched
            return
        self._add(tree, extracted, data, name, chain, depth)


# --- the worker -------------------------------------------------------------------------------


@dataclass(slots=True)
class WorkerState:
    matcher: Any
    limits: Limits
    cache: ExtractionCache | None
    extractor_version: str
    keywords_sha256: str  # the matcher's list: part of the key of cached findings


_STATE: WorkerState | None = None


def extractor_version() -> str:
    """Part of the cache key: a new release of the tool (or of the extractors) extracts again."""
    from baomi.scanner import extract
    from baomi.scanner.report import tool_version

    return f"{tool_version()}/{getattr(extract, 'VERSION', '1')}"


def init_worker(keywords: list[str], engine: str, limits: Limits, cache_path: str | None) -> None:
    """Build the matcher once per worker; open the worker's own cache connection."""
    global _STATE
    import baomi.scanner.detect
    import baomi.scanner.extract
    import baomi.scanner.text  # noqa: F401 (imported now: the first file's clock must not pay for it)
    from baomi.scanner.keywords import unique_terms
    from baomi.scanner.matching import Matcher

    if multiprocessing.parent_process() is not None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    cache = open_cache(Path(cache_path)) if cache_path else None
    inherited = _STATE.matcher if _STATE is not None else None  # a forked worker has the parent's
    same = inherited is not None and inherited.keywords == unique_terms(keywords)
    if same and inherited is not None and engine in ("auto", inherited.engine_name):
        matcher = inherited  # compiling 10,000 keywords again costs each worker half a second
    else:
        matcher = Matcher(keywords, engine=engine)
    _STATE = WorkerState(matcher, limits, cache, extractor_version(), keywords_sha256(matcher.keywords))


def release_cache() -> None:
    if _STATE is not None and _STATE.cache is not None:
        _STATE.cache.close()
        _STATE.cache = None


def scan_one(entry: tuple[str, int]) -> FileResult:
    path, size = entry
    state = _STATE
    assert state is not None, "init_worker first"
    result = FileResult(path, size, engine=str(state.matcher.engine_name))
    try:
        with time_limit(state.limits.max_seconds_per_file):
            check_file(state, result)
    except FileTimeout:
        skip_file(result, "timeout", f"more than {state.limits.max_seconds_per_file:g} s")
    except Skip as skip:
        skip_file(result, skip.code, skip.detail)
    except OSError as error:
        skip_file(result, "unreadable", error.strerror or str(error))
    except Exception as error:  # one bad file never ends the scan
        skip_file(result, "error", f"{type(error).__name__}: {error}")
    return result


def skip_file(result: FileResult, reason: str, detail: str) -> None:
    result.scanned = False
    result.findings = []
    result.skipped = [{"path": result.path, "reason": reason, "detail": detail}]


def check_file(state: WorkerState, result: FileResult) -> None:
    from baomi.scanner.detect import detect_type

    fd = open_noatime(result.path)
    with os.fdopen(fd, "rb") as handle:
        head = handle.read(HEAD_BYTES)
        kind = detect_type(head, os.path.basename(result.path))
        if kind == "text":
            handle.close()
            check_text_file(state, result)
            return
        if kind == "binary":  # images, programs, media: no text to take out, only the name
            result.type = kind
            result.findings = name_findings(state.matcher, os.path.basename(result.path), None)
            if result.findings:
                result.sha256 = sha256_of_file(result.path)
            return
        handle.seek(0)
        data = handle.read(state.limits.max_file_bytes + 1)
    if len(data) > state.limits.max_file_bytes:
        raise Skip("too_large", f"more than {state.limits.max_file_bytes} bytes")
    check_binary_file(state, result, data)


def check_text_file(state: WorkerState, result: FileResult) -> None:
    from baomi.scanner.text import scan_plain_file

    encoding, findings = scan_plain_file(Path(result.path), state.matcher, chunk_bytes=TEXT_CHUNK_BYTES)
    result.type, result.encoding = "text", encoding
    result.findings = [*name_findings(state.matcher, os.path.basename(result.path), None), *findings]
    if result.findings:
        result.sha256 = sha256_of_file(result.path)


def check_binary_file(state: WorkerState, result: FileResult, data: bytes) -> None:
    result.sha256 = hashlib.sha256(data).hexdigest()
    matched = cached_matches(state, result.sha256, data, result.path)
    result.type = matched["type"]
    result.skipped = [
        {"path": result.path, "member": member, "reason": reason, "detail": detail}
        for member, reason, detail in matched["skipped"]
    ]
    result.findings = [*name_findings(state.matcher, os.path.basename(result.path), None),
                       *(finding_from_dict(f) for f in matched["findings"])]


def cached_matches(state: WorkerState, sha256: str, data: bytes, path: str) -> dict[str, Any]:
    """What the content holds (its type, skipped members, findings) by content hash and keyword
    list: an unchanged file under an unchanged list is neither extracted nor matched again. A
    new list is matched against the cached extraction. The file's own name is not part of it."""
    key = f"{state.extractor_version}/matched/{state.keywords_sha256}"
    hit = state.cache.get(sha256, key) if state.cache is not None else None
    if hit is not None:
        return hit
    tree = cached_tree(state, sha256, data, path)
    del data
    findings: list[Finding] = []
    for node in tree.nodes:
        if node.member is not None:
            findings.extend(name_findings(state.matcher, node.name, node.member))
        if node.type == "text":
            findings.extend(scan_text_node(state.matcher, node))
        elif node.segments:
            findings.extend(state.matcher.scan_segments(node.segments))
    matched = {"type": tree.type, "skipped": [list(s) for s in tree.skipped],
               "findings": [f.as_dict() for f in findings]}
    if state.cache is not None:
        state.cache.put(sha256, key, matched)
    return matched


def finding_from_dict(data: dict[str, Any]) -> Finding:
    return Finding(data["kind"], data["text"], data["context"], Location(**data["location"]),
                   data.get("level"), data.get("keyword"))


def cached_tree(state: WorkerState, sha256: str, data: bytes, path: str) -> Tree:
    """Extraction by content hash; a Skip of the whole file is cached too (a zip bomb is not
    expanded twice), except a timeout, which may pass on a less busy machine."""
    if state.cache is not None:
        hit = state.cache.get(sha256, state.extractor_version)
        if hit is not None:
            if "skip" in hit:
                raise Skip(*hit["skip"])
            return Tree.from_json(hit)
    try:
        tree = TreeBuilder(state.limits).build(data, os.path.basename(path))
    except Skip as skip:
        if state.cache is not None:
            state.cache.put(sha256, state.extractor_version, {"skip": [skip.code, skip.detail]})
        raise
    if state.cache is not None:
        state.cache.put(sha256, state.extractor_version, tree.to_json())
    return tree


def scan_text_node(matcher: Any, node: Node) -> list[Finding]:
    """A plain-text member, matched like a plain-text file (same rules for marking lines)."""
    from baomi.scanner.text import scan_plain

    findings: list[Finding] = []
    for segment in node.segments:
        findings.extend(scan_plain(segment.text.encode("utf-8"), matcher, segment.location)[1])
    return findings


def name_findings(matcher: Any, name: str, member: str | None) -> list[Finding]:
    return [
        replace(f, location=replace(f.location, member=member, part="filename"))
        for f in matcher.scan_name(name)
    ]


def sha256_of_file(path: str) -> str:
    digest = hashlib.sha256()
    with os.fdopen(open_noatime(path), "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- the scan ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Totals:
    files_scanned: int = 0
    bytes_scanned: int = 0
    files: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)
    marks: int = 0
    keyword_hits: int = 0
    highest_level: int = 0

    def add(self, result: FileResult, profile: Profile) -> None:
        self.skipped.extend(result.skipped)
        if not result.scanned:
            return
        self.files_scanned += 1
        self.bytes_scanned += result.size
        if result.findings:
            self.add_findings(result, profile)

    def add_findings(self, result: FileResult, profile: Profile) -> None:
        level = result.level
        marks = sum(1 for f in result.findings if f.kind == MARK)
        self.marks += marks
        self.keyword_hits += len(result.findings) - marks
        self.highest_level = max(self.highest_level, level)
        message = profile.file_violation(level, len(result.findings))
        entry: dict[str, Any] = {
            "path": result.path,
            "size": result.size,
            "sha256": result.sha256,
            "type": result.type,
            "level": level,
            "violation": message is not None,
            "findings": [f.as_dict() for f in result.findings],
        }
        if result.encoding:
            entry["encoding"] = result.encoding
        self.files.append(entry)
        if message:
            self.violations.append({"kind": "file", "path": result.path, "level": level, "message": message})


def file_entries(entries: Iterable[FileEntry | SkipEntry], totals: Totals) -> Iterator[tuple[str, int]]:
    for entry in entries:
        if isinstance(entry, SkipEntry):
            totals.skipped.append(entry.as_dict())
        else:
            yield entry.path, entry.size


Entry = tuple[str, int]
CHUNK_FILES = 8  # files per task sent to a worker: few round trips, fair sharing at the end
CHUNK_BYTES = 4 * 1024 * 1024  # ... and fewer when they are big: one big file keeps a worker busy
IN_FLIGHT_PER_JOB = 4  # chunks queued per worker: the walk stays only a little ahead
WATCHDOG_GRACE = 30.0  # seconds beyond the per-file limit before a silent worker is killed


def scan_chunk(entries: list[Entry]) -> list[FileResult]:
    return [scan_one(entry) for entry in entries]


def chunked(work: Iterator[Entry], size: int, max_bytes: int = CHUNK_BYTES) -> Iterator[list[Entry]]:
    chunk: list[Entry] = []
    chunk_bytes = 0
    for entry in work:
        chunk.append(entry)
        chunk_bytes += entry[1]
        if len(chunk) == size or chunk_bytes >= max_bytes:
            yield chunk
            chunk, chunk_bytes = [], 0
    if chunk:
        yield chunk


class WorkerPool:
    """A process pool that survives a worker's death (a crash in a C library on a hostile file).

    Chunks of files go to `ProcessPoolExecutor` workers, a bounded number at a time. When a
    worker dies, every chunk in flight fails with `BrokenProcessPool`; their files are then
    run again one by one, each in a fresh single-worker pool, so the one file that kills its
    worker is reported as skipped (`error`) and every other file is still checked.

    The same watchdog catches a worker stuck in C code, where the per-file alarm cannot reach:
    when no chunk has come back for longer than a chunk may take, the workers are killed and
    the chunks in flight run again one by one; a file that hangs alone is skipped (`timeout`)."""

    def __init__(self, jobs: int, initargs: tuple[Any, ...]) -> None:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.context = multiprocessing.get_context(method)
        self.jobs = jobs
        self.initargs = initargs
        limits: Limits = initargs[2]
        self.file_deadline = limits.max_seconds_per_file + WATCHDOG_GRACE
        self.chunk_deadline = limits.max_seconds_per_file * CHUNK_FILES + WATCHDOG_GRACE

    def executor(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=self.context, initializer=init_worker,
                                   initargs=self.initargs)

    def run(self, work: Iterator[Entry]) -> Iterator[FileResult]:
        chunks = chunked(work, CHUNK_FILES)
        while True:
            broken: list[Entry] = []
            exhausted = yield from self._run_until_broken(chunks, broken)
            for entry in broken:
                yield self._run_alone(entry)
            if exhausted:
                return

    def _run_until_broken(self, chunks: Iterator[list[Entry]], broken: list[Entry]
                          ) -> Generator[FileResult, None, bool]:
        """Run chunks until they are all done (True) or the pool broke (False)."""
        in_flight: dict[Future[list[FileResult]], list[Entry]] = {}
        exhausted = False
        with self.executor(self.jobs) as executor:
            while True:
                while not exhausted and not broken and len(in_flight) < self.jobs * IN_FLIGHT_PER_JOB:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                    else:
                        in_flight[executor.submit(scan_chunk, chunk)] = chunk
                if not in_flight:
                    return exhausted
                done, _ = wait(in_flight, timeout=self.chunk_deadline, return_when=FIRST_COMPLETED)
                if not done:  # stuck beyond any alarm: kill, the chunks come back broken
                    kill_workers(executor)
                for future in done:
                    chunk = in_flight.pop(future)
                    try:
                        yield from future.result()
                    except Exception:  # BrokenProcessPool: a worker died with this chunk
                        broken.extend(chunk)

    def _run_alone(self, entry: Entry) -> FileResult:
        result = FileResult(*entry)
        with self.executor(1) as executor:
            try:
                executor.submit(worker_ready).result()  # the clock starts once the worker is up
                return executor.submit(scan_one, entry).result(timeout=self.file_deadline)
            except FutureTimeout:
                kill_workers(executor)
                skip_file(result, "timeout", f"no answer in {self.file_deadline:g} s (stuck in a library)")
            except Exception as error:
                skip_file(result, "error", f"the worker process died on this file ({type(error).__name__})")
        return result


def worker_ready() -> bool:
    return _STATE is not None


def kill_workers(executor: ProcessPoolExecutor) -> None:
    # the executor has no public way to stop a running task; its processes are ours to end
    for process in list(getattr(executor, "_processes", {}).values()):
        process.kill()


def run_files(
    work: Iterator[Entry],
    keywords: list[str],
    engine: str,
    limits: Limits,
    jobs: int,
    cache_path: str | None,
) -> Iterator[FileResult]:
    init_worker(keywords, engine, limits, cache_path)  # here first: a bad keyword list fails once, clearly
    if jobs <= 1:
        yield from map(scan_one, work)
        return
    release_cache()  # SQLite connections must not cross a fork; each worker opens its own
    yield from WorkerPool(jobs, (keywords, engine, limits, cache_path)).run(work)


def scan(
    paths: list[str],
    *,
    matcher_keywords: list[str],
    profile: Profile,
    limits: Limits,
    jobs: int = 1,
    cache: Path | None = None,
    progress: Progress | None = None,
    excludes: Iterable[str] = (),
    traces: list[dict[str, Any]] | None = None,
    device: str | None = None,
    engine: str = "auto",
) -> dict[str, Any]:
    """Scan `paths` and return the v1 report (docs/scan-report.md)."""
    from baomi.scanner.report import build_report

    started = time.time()
    totals = Totals()
    used_engine = engine
    skip_paths = cache_files(cache) if cache else []
    if cache and cache.absolute() == default_cache_path().absolute():
        skip_paths.append(str(cache.absolute().parent))  # ~/.cache/baomi holds only the scanner's own files
    entries = walk(paths, limits, excludes=excludes, skip_paths=skip_paths)
    cache_path = str(cache) if cache else None
    for result in run_files(
        file_entries(entries, totals), matcher_keywords, engine, limits, jobs, cache_path
    ):
        totals.add(result, profile)
        used_engine = result.engine or used_engine
        if progress:
            progress(result.path, result.size)
    return build_report(
        paths=paths,
        profile=profile,
        limits=limits,
        totals=totals,
        traces=traces,
        device=device,
        started=started,
        engine=used_engine,
    )
