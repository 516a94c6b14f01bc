"""`baomi sweep [--today YYYY-MM-DD]`: run every obligation rule (cron: daily)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from baomi.obligations.models import SweepRun
from baomi.obligations.services import run_sweep


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("--today: not a date in YYYY-MM-DD form: %(value)r") % {"value": value}
        ) from exc


class Command(BaseCommand):
    help = ("Run the daily jobs (secrets whose period ended, missing carriers past their "
            "deadline), then every obligation rule; update the task lists and record the run.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=str, default=None,
                            help="Sweep as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_day(options["today"]) if options["today"] is not None else None
        run = run_sweep(today=today)
        self._report(run)
        failed = [code for code, counts in run.counts.items() if counts.get("errors")]
        if failed:
            raise CommandError(
                _("Rules failed: %(codes)s") % {"codes": ", ".join(sorted(failed))}, returncode=1
            )

    def _report(self, run: SweepRun) -> None:
        keys = SweepRun.COUNT_KEYS
        width = max([len("rule"), len("total"), *(len(code) for code in run.counts)])
        self.stdout.write(_("Sweep of %(day)s (run %(id)s)") % {"day": run.today.isoformat(),
                                                                "id": run.pk})
        self.stdout.write(f"{'rule':<{width}}  " + "  ".join(f"{key:>7}" for key in keys))
        for code, counts in sorted(run.counts.items()):
            line = f"{code:<{width}}  " + "  ".join(f"{int(counts.get(k, 0)):>7}" for k in keys)
            if counts.get("error"):
                self.stdout.write(self.style.ERROR(f"{line}  {counts['error']}"))
            else:
                self.stdout.write(line)
        totals = run.totals()
        self.stdout.write(f"{'total':<{width}}  " + "  ".join(f"{totals[k]:>7}" for k in keys))
