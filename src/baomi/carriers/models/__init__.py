"""The models of the carriers app, one module per part of the carrier's life."""

from .copying import CopyOrder, CopyStamp, PrintRecord
from .destruction import DestructionBatch, DestructionItem
from .ledger import Carrier, Container, Loan
from .movement import Movement
from .stocktake import MissingCase, Stocktake, StocktakeLine

__all__ = ["Container", "Carrier", "Loan", "CopyOrder", "CopyStamp", "PrintRecord",
           "DestructionBatch", "DestructionItem",
           "Stocktake", "StocktakeLine", "MissingCase", "Movement"]
