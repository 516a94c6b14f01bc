"""`baomi createuser`: a person with a login and roles, e.g. the first 三员 of a new unit.

Runs through the account services as the system itself (actor None), in one transaction:
on any refusal (rule T1, a weak password, a taken username) nothing is created.
"""

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from baomi.accounts import selectors, services
from baomi.accounts.models import Unit
from baomi.accounts.roles import Role
from baomi.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create a person with a login and roles in a unit (created when missing). "
        "The password must be changed at the first login."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Unit code.")
        parser.add_argument("--unit-name", help="Unit name, needed when the unit is new.")
        parser.add_argument("--unit-kind", choices=Unit.Kind.values, default=Unit.Kind.UNIT,
                            help="For a new unit: unit (default) or group.")
        parser.add_argument("--parent", help="For a new unit: the code of its group.")
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="Real name (姓名).")
        parser.add_argument("--employee-no", required=True)
        parser.add_argument("--department", help="Code of an existing department of the unit.")
        parser.add_argument("--role", action="append", default=[], choices=Role.values,
                            help="A role to grant; repeat for several.")
        parser.add_argument("--password", help="Initial password (asked when omitted).")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or self._ask_password()
        try:
            with transaction.atomic():
                unit = self._unit(options)
                department = None
                if options["department"]:
                    department = selectors.departments_of(unit).filter(
                        code=options["department"]
                    ).first()
                    if department is None:
                        raise CommandError(f"No department {options['department']!r} in "
                                           f"unit {unit.code}.")
                user = services.create_person_and_user(
                    None, unit=unit, department=department, name=options["name"],
                    employee_no=options["employee_no"], username=options["username"],
                    initial_password=password,
                )
                for role in dict.fromkeys(options["role"]):
                    services.assign_role(None, user, role, reason="baomi createuser")
        except DomainError as exc:
            details = [str(m) for m in exc.fields.values() if m != exc.message]
            suffix = f" ({'; '.join(details)})" if details else ""
            raise CommandError(f"{exc.code}: {exc.message}{suffix}") from exc
        roles = ", ".join(dict.fromkeys(options["role"])) or "-"
        self.stdout.write(self.style.SUCCESS(
            f"Created {user.username} ({options['name']}) in {unit.code} with roles: {roles}. "
            "The password must be changed at the first login."
        ))

    def _unit(self, options: dict[str, Any]) -> Unit:
        unit = selectors.unit_by_code(options["unit"])
        if unit is not None:
            return unit
        if not options["unit_name"]:
            raise CommandError(f"Unit {options['unit']!r} does not exist: give --unit-name "
                               "to create it.")
        parent = None
        if options["parent"]:
            parent = selectors.unit_by_code(options["parent"])
            if parent is None:
                raise CommandError(f"No parent unit {options['parent']!r}.")
        return services.create_unit(None, name=options["unit_name"], code=options["unit"],
                                    kind=options["unit_kind"], parent=parent)

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError("Give --password (no terminal to ask for it).")
        first = getpass.getpass("Initial password: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ.")
        return first
