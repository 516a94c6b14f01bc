"""`baomi scan`: the command line of the secrecy check tool (保密检查工具).

Imports nothing from Django: runs from a USB stick on a machine with no database.
Exit codes: 0 no violation, 1 violations, 2 error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from baomi.scanner.model import Limits

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2
MB = 1024 * 1024

DESCRIPTION = """\
保密检查工具 — look for classification marks (密级标志, e.g. 机密★20年), the unit's keywords
(报警关键字) and traces of USB storage, browsing and networks on this computer.

Files are only read, never changed (no atime update where the OS allows). Every file under
PATH is checked by its content, not its extension: plain text (UTF-8, GB18030, UTF-16),
Word/Excel/PowerPoint, WPS, PDF, RTF, HTML, e-mail and archives (zip, tar, gz, 7z), nested.
Files that cannot be checked (encrypted, broken, too large …) are listed with the reason.
"""

EPILOG = """\
profiles:
  unclassified  a 非涉密 computer: every mark or keyword hit is a violation (上网不涉密)
  classified    a 涉密 computer (give --device-level): files marked above the device's level,
                network traces and unregistered USB storage are violations (涉密不上网)

exit status: 0 no violation, 1 violations found, 2 error (bad option, unreadable keyword
list, server refused …).

examples:
  scan a home directory, JSON report on stdout:
    baomi scan /home/zhang > report.json
  a 非涉密 computer with the unit's keyword list, readable report:
    baomi scan --profile unclassified --keywords 关键字.txt -o 检查报告.html /home
  a 机密 computer, spreadsheet report, no trace checks:
    baomi scan --profile classified --device-level 2 --no-traces -o report.xlsx /home/li
  only the traces (USB storage, browser history, networks):
    baomi scan --traces-only
  profile and keywords from the server, report uploaded to the device's check record:
    baomi scan --server https://baomi.example --token TOKEN --profile office-pc \\
               --device BM-JSJ-0017 --upload https://baomi.example /home
"""


class UsageError(Exception):
    """A problem with the options or their files: exit 2 with the message."""


def build_parser() -> argparse.ArgumentParser:
    from baomi.scanner.report import FORMATS, tool_version

    parser = argparse.ArgumentParser(
        prog="baomi scan",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to check")
    parser.add_argument("--version", action="version", version=f"baomi scan {tool_version()}")
    what = parser.add_argument_group("what to check")
    what.add_argument(
        "--profile",
        default="unclassified",
        help="unclassified (default), classified, a profile JSON file, or with --server "
        "the name of one of the server's profiles",
    )
    what.add_argument(
        "--device-level",
        type=int,
        choices=(0, 1, 2, 3),
        help="this computer's level for the classified profile: 1 秘密, 2 机密, 3 绝密",
    )
    what.add_argument(
        "--keywords",
        action="append",
        default=[],
        metavar="FILE",
        help="a keyword list (one term a line, UTF-8 or GB18030); repeatable",
    )
    what.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip paths or names matching GLOB, e.g. '*/.git' ; repeatable",
    )
    what.add_argument("--no-traces", action="store_true", help="check files only")
    what.add_argument("--traces-only", action="store_true", help="check traces only, no files")
    what.add_argument(
        "--root",
        default="/",
        metavar="DIR",
        help="the system whose traces to read (default /; e.g. a mounted disk)",
    )
    out = parser.add_argument_group("output")
    out.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="json (default), html or xlsx; with -o the file's extension decides",
    )
    out.add_argument(
        "-o",
        "--output",
        action="append",
        default=[],
        metavar="FILE",
        help="write the report to FILE (.json, .html, .xlsx); repeatable; without it JSON goes to stdout",
    )
    out.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    server = parser.add_argument_group("server")
    server.add_argument("--server", metavar="URL", help="fetch the profile (--profile NAME) from this server")
    server.add_argument("--upload", metavar="URL", help="send the JSON report to this server")
    server.add_argument("--token", help="API token for --server and --upload (or BAOMI_TOKEN)")
    server.add_argument("--device", metavar="保密编号", help="the device's number in the ledger")
    limits = parser.add_argument_group("limits (safe defaults)")
    default = Limits()
    limits.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: number of CPUs)",
    )
    limits.add_argument(
        "--max-file-mb",
        type=float,
        default=default.max_file_bytes / MB,
        help="skip larger files (default %(default)g)",
    )
    limits.add_argument(
        "--max-depth", type=int, default=default.max_depth, help="archive nesting depth (default %(default)s)"
    )
    limits.add_argument(
        "--max-ratio",
        type=int,
        default=default.max_expansion_ratio,
        help="largest uncompressed:compressed ratio of an archive (default %(default)s)",
    )
    limits.add_argument(
        "--max-expanded-mb",
        type=float,
        default=default.max_expanded_bytes / MB,
        help="most bytes taken out of one file's archives (default %(default)g)",
    )
    limits.add_argument(
        "--timeout",
        type=float,
        default=default.max_seconds_per_file,
        help="seconds per file before it is skipped (default %(default)g)",
    )
    limits.add_argument(
        "--engine", choices=("auto", "hyperscan", "ahocorasick"), default="auto", help=argparse.SUPPRESS
    )
    cache = parser.add_argument_group("cache")
    cache.add_argument(
        "--cache", metavar="FILE", help="extraction cache (default $XDG_CACHE_HOME/baomi/scan-cache.sqlite)"
    )
    cache.add_argument("--no-cache", action="store_true", help="extract every file again")
    return parser


def limits_from(args: argparse.Namespace, profile_limits: dict[str, Any]) -> Limits:
    limits = Limits(
        max_file_bytes=int(args.max_file_mb * MB),
        max_depth=args.max_depth,
        max_expansion_ratio=args.max_ratio,
        max_expanded_bytes=int(args.max_expanded_mb * MB),
        max_seconds_per_file=args.timeout,
    )
    known = {key: value for key, value in profile_limits.items() if key in Limits.__dataclass_fields__}
    return Limits(**{**known, **_given_limits(args, limits)}) if known else limits


def _given_limits(args: argparse.Namespace, limits: Limits) -> dict[str, Any]:
    """Limits the officer typed override the profile's; defaults do not."""
    default = Limits()
    return {
        key: getattr(limits, key)
        for key in Limits.__dataclass_fields__
        if getattr(limits, key) != getattr(default, key)
    }


def check_args(args: argparse.Namespace) -> None:
    if args.no_traces and args.traces_only:
        raise UsageError("--no-traces 与 --traces-only 不能同时使用")
    if not args.paths and not args.traces_only:
        raise UsageError("请给出要检查的目录或文件（PATH），或使用 --traces-only")
    if args.jobs < 1:
        raise UsageError("--jobs 至少为 1")
    token = args.token or os.environ.get("BAOMI_TOKEN")
    if (args.server or args.upload) and not token:
        raise UsageError("--server/--upload 需要 --token（或环境变量 BAOMI_TOKEN）")
    args.token = token
    for path in args.paths:
        if not os.path.lexists(path):
            raise UsageError(f"路径不存在：{path}")
    if args.format == "xlsx" and not args.output:
        raise UsageError("xlsx 报告需要 -o FILE.xlsx")


def load_profile_from(args: argparse.Namespace) -> Any:
    from baomi.scanner.keywords import load_keywords
    from baomi.scanner.profiles import fetch_profile, load_profile

    if args.server:
        profile = fetch_profile(args.server, args.token, args.profile, args.device)
        if args.device_level is not None:
            profile.device_level = args.device_level
    else:
        profile = load_profile(args.profile, args.device_level)
    for keyword_file in args.keywords:
        try:
            terms = load_keywords(Path(keyword_file))
        except (OSError, UnicodeError, ValueError) as error:
            raise UsageError(f"无法读取关键字列表 {keyword_file}：{error}") from error
        profile.add_keywords(terms, Path(keyword_file).name)
    return profile


def progress_bar(quiet: bool) -> Any:
    """tqdm on stderr only when stderr is a terminal: quiet in a pipe or a log."""
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit=" 文件", desc="检查", file=sys.stderr, dynamic_ncols=True)


def run(args: argparse.Namespace) -> int:
    from baomi.scanner.cache import default_cache_path
    from baomi.scanner.report import output_format, write_report
    from baomi.scanner.runner import scan

    profile = load_profile_from(args)
    limits = limits_from(args, profile.limits)
    traces = None if args.no_traces else collect(args.root)
    cache = None if args.no_cache else Path(args.cache or default_cache_path()).absolute()
    bar = progress_bar(args.quiet)
    try:
        report = scan(
            [] if args.traces_only else args.paths,
            matcher_keywords=profile.keywords,
            profile=profile,
            limits=limits,
            jobs=args.jobs,
            cache=cache,
            progress=(lambda path, size: bar.update(1)) if bar else None,
            excludes=args.exclude,
            traces=traces,
            device=args.device,
            engine=args.engine,
        )
    finally:
        if bar:
            bar.close()
    for path in args.output or [None]:
        write_report(report, path, output_format(path, args.format or "json"))
    if args.upload:
        upload(args, report)
    return EXIT_CLEAN if report["summary"]["clean"] else EXIT_VIOLATIONS


def collect(root: str) -> list[dict[str, Any]]:
    from baomi.scanner.traces import collect_traces

    return collect_traces(Path(root))


def upload(args: argparse.Namespace, report: dict[str, Any]) -> None:
    from baomi.scanner.upload import upload_report

    answer = upload_report(args.upload, args.token, args.device, report)
    url = answer.get("url") or ""
    if url.startswith("/"):
        url = args.upload.rstrip("/") + url
    rectifications = answer.get("rectifications")
    count = len(rectifications) if isinstance(rectifications, list) else rectifications
    print(f"报告已上传：{url}" + (f"（整改项 {count} 条）" if count else ""), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    from baomi.scanner.profiles import ProfileError
    from baomi.scanner.upload import UploadError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: --help/--version exit 0, bad options exit 2
        return int(exit_.code or 0)
    try:
        check_args(args)
        return run(args)
    except (UsageError, ProfileError, UploadError, ValueError, OSError) as error:
        print(f"baomi scan: 错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("baomi scan: 已中断", file=sys.stderr)
        return EXIT_ERROR
