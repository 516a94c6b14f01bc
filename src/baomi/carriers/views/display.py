"""How a carrier reads on pages, in the ledger export, the printed forms and the API: its mark
(rule S9), its level word (rule L4), where it came from (rule C2) and where it is (rule C1)."""

from django.utils import timezone

from baomi.core.labels import Level
from baomi.secrets.choices import PeriodKind
from baomi.secrets.marks import level_word, mark_text

from ..choices import LoanState
from ..models import Carrier, Loan

# The related rows a ledger line shows, fetched with the carrier.
LEDGER_RELATED = ("department", "custodian", "container", "secret_item")


def carrier_mark(carrier: Carrier) -> str:
    """rule S9: `机密★20年`; a carrier kept until a condition shows its item's condition."""
    condition = ""
    if carrier.period_kind == PeriodKind.CONDITION and carrier.secret_item_id:
        condition = carrier.secret_item.declassify_condition if carrier.secret_item else ""
    return mark_text(carrier.scheme, carrier.level, carrier.period_kind, carrier.period_value,
                     condition)


def level_text(scheme: str, level: int) -> str:
    """The grade as its scheme words it (rule L4: 工作秘密 and 商业秘密 never read as 秘密)."""
    return level_word(scheme, level) or str(Level(level).label if level in Level.values
                                            else level)


def source_text(carrier: Carrier) -> str:
    """rule C2: the sending unit and its document number, e.g. `国防科工局 科工密〔2026〕15号`."""
    return " ".join(part for part in (carrier.source_unit, carrier.source_document_no) if part)


def copies_text(carrier: Carrier) -> str:
    """`3` copies, or `3（第2份）` with the copy number."""
    if carrier.copy_no:
        return f"{carrier.copies}（{carrier.copy_no}）"
    return str(carrier.copies)


def place_text(carrier: Carrier) -> str:
    """The container and the place, as the ledger lists them (rule C1)."""
    container = carrier.container.number if carrier.container_id and carrier.container else ""
    return " ".join(part for part in (container, carrier.location) if part)


def loan_overdue(loan: Loan) -> bool:
    """rule C5: an out loan past its due day (传阅: the same day)."""
    return loan.state == LoanState.OUT and loan.due_on < timezone.localdate()
