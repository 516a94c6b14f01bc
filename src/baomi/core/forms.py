"""What every form view shares."""

from collections.abc import Callable

from django import forms

from .errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError, *others: forms.Form,
                     field_of: Callable[[str], str] | None = None) -> None:
    """Show a service's refusal where the person looks: on the field it names, in `form` or in
    one of `others` (a dotted name such as `payload.role` goes to its first part, or to what
    `field_of` maps it to), else above `form`."""
    placed = False
    for name, message in error.fields.items():
        field = field_of(name) if field_of else name.split(".", 1)[0]
        for target in (form, *others):
            if field in target.fields and field not in target.errors:
                target.add_error(field, message)
                placed = True
                break
    if not placed:
        form.add_error(None, error.message)
