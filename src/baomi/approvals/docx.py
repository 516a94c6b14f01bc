"""The approval opinions of a printed form, filled from the approvals chain."""

from collections.abc import Iterable, Sequence

from docx.document import Document as DocumentObject

from baomi.core.docx import BLANK_DATE, NUMERALS, add_section, add_signature, date_text

from .choices import Decision
from .models import Step

DECISION_NAMES = {Decision.APPROVE: "同意", Decision.REJECT: "不同意", Decision.RETURN: "退回"}


def add_opinions(document: DocumentObject, steps: Iterable[Step], *, first: int,
                 titles: dict[str, str], default_roles: Sequence[str]) -> None:
    """One numbered block per step of the latest round, in chain order, from section number
    `first` (1 = 一): the decision recorded in the chain, or a blank opinion to fill by hand.
    Before any step exists, one blank block per role of `default_roles`."""
    steps = list(steps)
    latest = max((step.round for step in steps), default=1)
    current = sorted((step for step in steps if step.round == latest), key=lambda s: s.order)
    blocks: list[tuple[str, Step | None]] = (
        [(step.role, step) for step in current] or [(role, None) for role in default_roles])
    for index, (role, step) in enumerate(blocks, start=first - 1):
        add_section(document, f"{NUMERALS[index % len(NUMERALS)]}、{titles.get(role, '审批意见')}")
        if step is None or not step.decision:
            document.add_paragraph("")
            add_signature(document, "签字")
            continue
        opinion = DECISION_NAMES.get(Decision(step.decision), step.decision)
        document.add_paragraph(f"{opinion}。{step.comment}".rstrip())
        signer = step.decided_by.person.name if step.decided_by else ""
        day = date_text(step.decided_at.date()) if step.decided_at else BLANK_DATE
        document.add_paragraph(f"签字：{signer}（系统审批记录）    {day}")
