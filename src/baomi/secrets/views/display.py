"""How an item reads on pages, in the register export, the API and the printed forms: its
mark (rule S9), its period or condition, its 知悉范围 and the values of its history (S10)."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from baomi.core.labels import Level, Scheme

from ..choices import ChangeKind, DeclassifiedHow, ItemState, KnowledgeKind, PeriodKind
from ..marks import level_word, mark_text, period_words
from ..models import ScopeEntry, SecretItem

SCOPE_SHOWN = 5  # names in a list row; the detail, export and form show them all
MAX_CELL = 32_000  # an Excel cell holds 32,767 characters


def with_scope(items: QuerySet[SecretItem]) -> QuerySet[SecretItem]:
    """Fetch the current 知悉范围 of every item with the page, in one more query."""
    current = ScopeEntry.objects.filter(removed_on__isnull=True).select_related(
        "person", "department").order_by("id")
    return items.prefetch_related(Prefetch("scope", queryset=current, to_attr="current_scope"))


def item_mark(item: SecretItem) -> str:
    """rule S9: the mark, e.g. `机密★10年`; a declassified or rejected item has none."""
    if item.state in (ItemState.DECLASSIFIED, ItemState.REJECTED):
        return ""
    return mark_text(item.scheme, item.level, item.period_kind, item.period_value,
                     item.declassify_condition)


def level_text(item: SecretItem) -> str:
    return level_word(item.scheme, item.level) or str(item.get_level_display())


def period_text(item: SecretItem) -> str:
    """The period as marked, or the declassification condition (rule S1)."""
    words = period_words(item.period_kind, item.period_value)
    if item.declassify_condition:
        condition = _("until: %(condition)s") % {"condition": item.declassify_condition}
        return f"{words}（{condition}）" if words else condition
    return words


def scope_names(item: SecretItem) -> list[str]:
    entries: Any = getattr(item, "current_scope", None)
    if entries is None:
        fetched: Any = with_scope(SecretItem.objects.filter(pk=item.pk))[0]
        entries = fetched.current_scope
    return [entry.person.name if entry.person_id else entry.department.name
            for entry in entries]


def scope_summary(item: SecretItem, shown: int | None = SCOPE_SHOWN) -> str:
    names = scope_names(item)
    if shown is None or len(names) <= shown:
        return "、".join(names)[:MAX_CELL]
    return _("%(names)s and %(more)s more") % {"names": "、".join(names[:shown]),
                                                "more": len(names) - shown}


def provisional_overdue(item: SecretItem, today: Any) -> bool:
    """rule S3: the superior decision is due within 10 working days of the provisional mark."""
    return (item.state == ItemState.PROVISIONAL and item.provisional_due_on is not None
            and item.provisional_due_on < today)


FIELD_LABELS: dict[str, Any] = {
    "level": gettext_lazy("Level"),
    "period_kind": gettext_lazy("Kind of period"),
    "period_value": gettext_lazy("Period"),
    "declassify_condition": gettext_lazy("Declassification condition"),
    "mark": gettext_lazy("Mark"),
    "state": gettext_lazy("State"),
    "expires_on": gettext_lazy("Period ends on"),
    "issued_on": pgettext_lazy("secret item", "Issued on"),
    "decided_on": gettext_lazy("Decided on"),
    "declassified_on": gettext_lazy("Declassified on"),
    "declassified_how": gettext_lazy("Declassified how"),
    "document": gettext_lazy("Decision document"),
    "decision_document": gettext_lazy("Decision document"),
    "classified": gettext_lazy("Classified"),
    "people": gettext_lazy("People"),
    "departments": gettext_lazy("Departments"),
    "scope": gettext_lazy("Need-to-know scope"),
    "last_reviewed_on": gettext_lazy("Last annual review on"),
    "note": gettext_lazy("Note"),
    "kind": gettext_lazy("Change"),
    "scheme": gettext_lazy("Scheme"),
}
CHOICES: dict[str, Any] = {
    "period_kind": PeriodKind, "state": ItemState, "declassified_how": DeclassifiedHow,
    "kind": ChangeKind, "knowledge_kind": KnowledgeKind, "scheme": Scheme,
}


def _value_text(name: str, value: Any, scheme: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "level" and isinstance(value, int) and value in Level.values:
        return level_word(scheme, value) or str(Level(value).label)
    choices = CHOICES.get(name)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    if isinstance(value, list):
        return "、".join(_name_of(entry) for entry in value)
    if isinstance(value, dict):
        return _name_of(value)
    return str(value)


def _name_of(entry: Any) -> str:
    if isinstance(entry, dict):
        return str(entry.get("name") or entry.get("id") or "")
    return str(entry)


def readable_values(values: dict[str, Any] | None, scheme: str = Scheme.STATE
                    ) -> list[tuple[str, str]]:
    """The before or after of a history entry as (label, text) pairs a person reads."""
    if not isinstance(values, dict):
        return []
    return [(str(FIELD_LABELS.get(name, name)), _value_text(name, value, scheme))
            for name, value in values.items() if not name.endswith("_id")]


# The values every history entry may carry for context (the services' item_values); shown
# only when they changed.
CONTEXT = frozenset({"state", "scheme", "level", "period_kind", "period_value",
                     "declassify_condition", "expires_on"})
MARK_KEYS = ("level", "period_kind", "period_value")


def _mark_of(values: dict[str, Any], scheme: str) -> str:
    if not all(name in values for name in MARK_KEYS):
        return ""
    try:
        return mark_text(scheme, int(values["level"]), str(values["period_kind"]),
                         values["period_value"], str(values.get("declassify_condition") or ""))
    except (TypeError, ValueError):
        return ""


# The history entries that have a 变更及解密审批表 (rule S10: decided by a change request).
FORM_KINDS = frozenset({ChangeKind.LEVEL, ChangeKind.PERIOD, ChangeKind.SCOPE_REMOVE,
                        ChangeKind.SCOPE_ADD, ChangeKind.DECLASSIFY})


def changed_names(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The names of the values a history entry changed, in order; context it repeats
    unchanged (and ids) left out."""
    names = [*before, *(name for name in after if name not in before)]

    def shown(name: str) -> bool:
        if name.endswith("_id") or name == "mark":
            return False
        if name in before and name in after:
            return bool(before[name] != after[name])
        return name in before or not before or name not in CONTEXT

    return [name for name in names if shown(name)]


def change_rows(change: Any, scheme: str) -> list[tuple[str, str, str]]:
    """(label, before, after) for the values a history entry changed, the mark first (rule
    S9) when it changed."""
    before = change.before if isinstance(change.before, dict) else {}
    after = change.after if isinstance(change.after, dict) else {}
    rows = [(str(FIELD_LABELS.get(name, name)),
             _value_text(name, before.get(name), scheme) if name in before else "",
             _value_text(name, after.get(name), scheme) if name in after else "")
            for name in changed_names(before, after)]
    old_mark, new_mark = _mark_of(before, scheme), _mark_of(after, scheme)
    if old_mark and new_mark and old_mark != new_mark:
        rows.insert(0, (str(FIELD_LABELS["mark"]), old_mark, new_mark))
    return rows
