"""`baomi audit verify` and `baomi audit checkpoint` (DESIGN.md 'Audit trail', rule T4).

The output of `verify` is a fixed, English, machine-readable line (scripts and monitoring
grep it): `OK: N events verified, head #SEQ HASH` or `BROKEN at seq N: REASON`.
"""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from baomi.audit.checkpoint import create_checkpoint
from baomi.audit.verify import DEFAULT_BATCH, VerifyResult, verify_chain
from baomi.core.errors import DomainError


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or sign a checkpoint of its head."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True,
                                         metavar="{verify,checkpoint}")
        verify = commands.add_parser(
            "verify", help="Walk the whole chain and every checkpoint; exit 1 when broken.")
        verify.add_argument("--json", action="store_true", help="Print the result as JSON.")
        verify.add_argument("--batch", type=int, default=DEFAULT_BATCH,
                            help="Events read per query (default %(default)s).")
        commands.add_parser(
            "checkpoint", help="Sign the head (Ed25519) and print the text to countersign.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(options["json"], options["batch"])
        else:
            self._checkpoint()

    def _verify(self, as_json: bool, batch: int) -> None:
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        # Read-only: verifying appends nothing to the trail.
        result = verify_chain(batch=batch)
        if as_json:
            self.stdout.write(json.dumps(result.as_dict()))
        else:
            self.stdout.write(summary_line(result))
        if not result.ok:
            raise CommandError(f"audit trail broken at seq {result.first_broken_seq}",
                               returncode=1)

    def _checkpoint(self) -> None:
        try:
            text = create_checkpoint(None)  # the operator at the console
        except DomainError as error:
            raise CommandError(error.message, returncode=1) from error
        self.stdout.write(text, ending="")


def summary_line(result: VerifyResult) -> str:
    if result.ok:
        return (f"OK: {result.count} events verified, head #{result.head_seq} "
                f"{result.head_hash}")
    return f"BROKEN at seq {result.first_broken_seq}: {result.reason}"
