"""The `baomi` command: one entry point for operators (serve, migrate, demo, sweep, audit …).

Each subcommand is a Django management command of the app that owns it; `baomi manage …`
passes anything else straight to Django.
"""

import os
import sys

COMMANDS = {
    "serve": "Serve the web application with gunicorn (baomi serve --bind 127.0.0.1:8000).",
    "migrate": "Create or upgrade the database schema.",
    "demo": "Load the demo units, people and data (idempotent).",
    "sweep": ("Run the daily jobs (expiry of secrets, missing carriers) and every obligation "
              "rule; update the task lists (cron: daily)."),
    "audit": "Audit trail: `baomi audit verify` or `baomi audit checkpoint`.",
    "policy": "Policy profiles: `baomi policy show [--unit CODE]`, `baomi policy profiles`.",
    "createuser": "Create a person with a login and roles (first set-up of the 三员).",
    "scan": ("The secrecy check tool: look for classification marks, keywords and traces "
             "on this computer (no database needed; `baomi scan --help`)."),
    "manage": "Any Django management command, e.g. `baomi manage check`.",
}

USAGE = """usage: baomi COMMAND [options]

baomi — 保密管理系统 (confidentiality management). Commands:
{commands}

Environment: BAOMI_DATABASE_URL (default: SQLite in ./var), BAOMI_DATA_DIR (default ./var),
BAOMI_SECRET_KEY, BAOMI_ALLOWED_HOSTS, DJANGO_SETTINGS_MODULE (default baomi.settings.base).
Run `baomi COMMAND --help` for the options of one command.
"""


def usage() -> str:
    lines = "\n".join(f"  {name:<11} {text}" for name, text in COMMANDS.items())
    return USAGE.format(commands=lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"baomi: unknown command {command!r}\n", file=sys.stderr)
        print(usage(), file=sys.stderr)
        return 2
    if command == "scan":  # standalone: must work where Django has no database
        from baomi.scanner.cli import main as scan

        return scan(rest)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings.base")
    from django.core.management import execute_from_command_line

    if command == "manage":
        execute_from_command_line(["baomi", *rest])
    else:
        execute_from_command_line(["baomi", command, *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
