"""The models of the carriers app, one module per part of the carrier's life."""

from .ledger import Carrier, Container, Loan

__all__ = ["Container", "Carrier", "Loan"]
