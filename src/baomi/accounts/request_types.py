"""Requests the accounts app serves through the approvals engine.

`role_grant` (角色授权申请): someone asks that a user of their unit receive a business role.
Designating a 定密责任人 needs the unit leader's written authorisation (rule S4): the approved
request, with its chain of decisions, is that written record.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, field_validator

from baomi.accounts.models import User
from baomi.accounts.roles import BUSINESS_ROLES, Role
from baomi.approvals.models import Request
from baomi.approvals.registry import RequestType, register_request_type
from baomi.core.errors import Conflict, InvalidInput
from baomi.core.policy.loader import Policy

MAX_ID = 2**63 - 1


class RoleGrantPayload(BaseModel):
    """What a role grant request asks: this user, this business role, for this reason."""

    model_config = ConfigDict(extra="forbid")

    user_id: int = Field(ge=1, le=MAX_ID)
    role: str = Field(max_length=30)
    reason: str = Field(min_length=1, max_length=1000)

    @field_validator("role")
    @classmethod
    def business_role(cls, value: str) -> str:
        # rule T1/T2: the 三员 are appointed by the administrators, never through a request.
        if value not in BUSINESS_ROLES:
            raise ValueError("not a business role")
        return value

    @field_validator("reason")
    @classmethod
    def reason_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("empty")
        return value.strip()


def _business_role_choices() -> list[tuple[str, Any]]:
    return [(str(role.value), role.label) for role in Role if role.value in BUSINESS_ROLES]


class RoleGrantForm(forms.Form):
    """The web form of a role grant request; the people offered are those of the unit."""

    user_id = forms.ModelChoiceField(label=gettext_lazy("User"), queryset=User.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=_business_role_choices)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actor is not None:
            users = grantable_users(actor).select_related("person").order_by("username")
            field = self.fields["user_id"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = users


def grantable_users(actor: Any) -> Any:
    """Active logins of the actor's unit: a role is granted within the unit."""
    return User.objects.filter(is_active=True, person__active=True,
                               person__unit_id=actor.person.unit_id)


class RoleGrantRequest(RequestType):
    code = "role_grant"
    label = gettext_lazy("Role grant")
    payload_schema = RoleGrantPayload
    form_class = RoleGrantForm

    def describe(self, payload: dict[str, Any]) -> str:
        user_id = payload.get("user_id")
        user = User.objects.select_related("person").filter(pk=user_id).first() if isinstance(
            user_id, int) else None
        role = payload.get("role", "")
        role_label = Role(role).label if role in Role.values else role
        return _("Grant the role %(role)s to %(user)s") % {
            "role": role_label, "user": user if user is not None else payload.get("user_id"),
        }

    def check(self, actor: Any, payload: BaseModel) -> None:
        assert isinstance(payload, RoleGrantPayload)
        user = grantable_users(actor).filter(pk=payload.user_id).first()
        if user is None:
            message = _("Choose an active user of your unit.")
            raise InvalidInput(message, code="unknown_user", fields={"user_id": message})
        if user.role_assignments.filter(role=payload.role).exists():
            message = _("The user already holds this role.")
            raise InvalidInput(message, code="role_already_held", fields={"role": message})

    def chain(self, policy: Policy, level: int, payload: dict[str, Any]) -> list[str]:
        chain = policy.chain(self.code, level)
        if payload.get("role") == Role.CLASSIFICATION_OFFICER and Role.LEADER not in chain:
            # rule S4: a 定密责任人 is designated by the unit leader's written authorisation,
            # whatever a unit's policy chain says.
            chain = [*chain, str(Role.LEADER)]
        return chain

    def subject_person_of(self, payload: dict[str, Any]) -> int | None:
        """Nobody decides a role for themselves."""
        return (User.objects.filter(pk=payload["user_id"])
                .values_list("person_id", flat=True).first())

    def on_approved(self, request: Request, actor: Any) -> None:
        from baomi.accounts.services import assign_role

        user = User.objects.filter(pk=request.payload["user_id"]).first()
        if user is None:
            raise Conflict(_("The user named in the request no longer exists."),
                           code="unknown_user")
        assign_role(actor, user, request.payload["role"], reason=request.payload["reason"],
                    via_request=request)

    def build_form(self, actor: Any, data: Any = None,
                   initial: dict[str, Any] | None = None) -> forms.Form:
        return RoleGrantForm(data=data, initial=initial, prefix="payload", actor=actor)


register_request_type(RoleGrantRequest())
