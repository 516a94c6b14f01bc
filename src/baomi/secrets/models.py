"""The unit's secret items (国家秘密事项, and 工作秘密/商业秘密 under their own schemes, rule L4):
定密权限, the items with level, period and 知悉范围, the knowledge record and the history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import Department, Person, Unit
from baomi.core.labels import Level, Scheme

from .choices import ChangeKind, DeclassifiedHow, ItemState, KnowledgeKind, PeriodKind


class Authority(models.Model):
    """The unit's 定密权限 (rule S3): the highest level it may classify, by the authorising
    document. A unit without one classifies nothing itself: it only 先行拟定."""

    unit = models.OneToOneField(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                                related_name="classification_authority")
    max_level = models.IntegerField(_("highest level it may classify"), choices=Level.choices)
    document = models.CharField(_("authorising document"), max_length=200)
    granted_on = models.DateField(_("granted on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("classification authority")
        verbose_name_plural = _("classification authorities")
        constraints = [
            models.CheckConstraint(condition=models.Q(max_level__gte=Level.SECRET),
                                   name="authority_level_classified"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_max_level_display()}"


class SecretItem(models.Model):
    """A secret item (rule S1): its level, 保密期限 or 解密条件, 知悉范围 (ScopeEntry), basis,
    承办人 and 定密责任人 (rule S4).

    The period runs from `issued_on` (制发日, rule S2) — the decision date when no issue date is
    given — and `expires_on` is its last day; an item classified until a condition is met, or
    长期, has none. `scheme` keeps 工作秘密 and 商业秘密 apart from state secrets (rule L4);
    their `level` is 1 (工作秘密, 普通商密) or 2 (核心商密).
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="secret_items")
    department = models.ForeignKey(Department, verbose_name=_("proposing department"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="secret_items")
    scheme = models.CharField(_("scheme"), max_length=12, choices=Scheme.choices,
                              default=Scheme.STATE)
    number = models.CharField(_("item number"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    level = models.IntegerField(_("level"), choices=Level.choices)
    period_kind = models.CharField(_("kind of period"), max_length=10, choices=PeriodKind.choices)
    period_value = models.PositiveSmallIntegerField(_("period"), null=True, blank=True)
    declassify_condition = models.TextField(_("declassification condition"), max_length=1000,
                                            blank=True)
    basis = models.TextField(_("basis of classification"), max_length=1000)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("period ends on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=14, choices=ItemState.choices,
                             default=ItemState.PROPOSED)
    proposer = models.ForeignKey(Person, verbose_name=_("proposer (承办人)"),
                                 on_delete=models.PROTECT, related_name="proposed_secret_items")
    decider = models.ForeignKey(settings.AUTH_USER_MODEL,
                                verbose_name=_("classification officer who decided"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_document = models.CharField(_("decision document"), max_length=200, blank=True)
    request = models.OneToOneField("approvals.Request", verbose_name=_("decision request"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="secret_item")
    provisional_due_on = models.DateField(_("decision due by"), null=True, blank=True)
    provisional_due_estimated = models.BooleanField(_("due date estimated"), default=False)
    last_reviewed_on = models.DateField(_("last annual review on"), null=True, blank=True)
    declassified_on = models.DateField(_("declassified on"), null=True, blank=True)
    declassified_how = models.CharField(_("declassified how"), max_length=10,
                                        choices=DeclassifiedHow.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("secret item")
        verbose_name_plural = _("secret items")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="secret_item_number_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=Level.SECRET),
                                   name="secret_item_level_classified"),
        ]
        indexes = [
            models.Index(fields=["unit", "scheme", "state", "id"]),
            models.Index(fields=["state", "expires_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ScopeEntry(models.Model):
    """One named person or department in an item's 知悉范围 (rules S1, S7); `removed_on` set
    when a change request took them out (rule S10)."""

    item = models.ForeignKey(SecretItem, verbose_name=_("secret item"), on_delete=models.PROTECT,
                             related_name="scope")
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="secret_scopes")
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="secret_scopes")
    added_on = models.DateField(_("added on"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"),
                                 on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey("approvals.Request", verbose_name=_("approval request"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("need-to-know entry")
        verbose_name_plural = _("need-to-know entries")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False, department__isnull=True)
                           | models.Q(person__isnull=True, department__isnull=False)),
                name="scope_entry_person_or_department"),
            models.UniqueConstraint(fields=["item", "person"],
                                    condition=models.Q(removed_on__isnull=True,
                                                       person__isnull=False),
                                    name="scope_entry_person_once"),
            models.UniqueConstraint(fields=["item", "department"],
                                    condition=models.Q(removed_on__isnull=True,
                                                       department__isnull=False),
                                    name="scope_entry_department_once"),
        ]
        indexes = [models.Index(fields=["person", "removed_on"]),
                   models.Index(fields=["department", "removed_on"])]

    def __str__(self) -> str:
        return str(self.person or self.department)


class KnowledgeRecord(models.Model):
    """Who came to know a 机密 or 绝密 item, when and how, approved by whom (rule S8)."""

    item = models.ForeignKey(SecretItem, verbose_name=_("secret item"), on_delete=models.PROTECT,
                             related_name="knowledge")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="secret_knowledge")
    kind = models.CharField(_("how"), max_length=10, choices=KnowledgeKind.choices)
    known_on = models.DateField(_("date"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    source = models.CharField(_("occasion"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge record")
        verbose_name_plural = _("knowledge records")
        ordering = ["-known_on", "-id"]
        indexes = [models.Index(fields=["item", "known_on"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.item}"


class ItemChange(models.Model):
    """The history of an item (rule S10): every decision, change, review and expiry with the
    earlier and the new values and the reason."""

    item = models.ForeignKey(SecretItem, verbose_name=_("secret item"), on_delete=models.PROTECT,
                             related_name="changes")
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    request = models.ForeignKey("approvals.Request", verbose_name=_("approval request"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField(_("decided on"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("secret item change")
        verbose_name_plural = _("secret item changes")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_kind_display()}"
