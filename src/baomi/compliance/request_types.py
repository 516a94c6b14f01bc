"""Requests the compliance app serves through the approvals engine (autodiscovered by the
approvals app); one module per part registers its types when imported here."""

# rule Q12: 保密审查 of publications (request type `publication_review`).
from . import request_types_publications  # noqa: F401
