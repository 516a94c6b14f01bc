"""Requests the devices app serves through the approvals engine (autodiscovered).

`device_maintenance` (涉密设备维修审批, rule D7): the repair of a device. The chain is
`approvals.chains.device_maintenance` (default 部门负责人 → 保密办) for a repair in the unit or
on site, and `approvals.chains.device_maintenance_sent_out` (default 部门负责人 → 保密办, with
单位领导 from 机密 up) for a device sent out.

`device_retirement` (涉密设备（介质）报废审批, rule D8): the retirement of a device or a medium;
chain `approvals.chains.device_retirement` (default 部门负责人 → 保密办, with 单位领导 from
机密 up).

Both requests are at the level of their device or medium (rule L5) and their 部门负责人 step is
the head of its department. Approved, rejected or withdrawn, the services conclude them
(services.conclude_maintenance, conclude_retirement, withdraw_*).
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field

from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request
from baomi.approvals.registry import RequestType, register_request_type
from baomi.core.errors import Conflict, InvalidInput
from baomi.core.labels import Level
from baomi.core.policy.loader import Policy

from .choices import MaintenanceMode, MaintenanceState, RetirementState
from .models import Maintenance, Retirement

MAX_ID = 2**63 - 1
SENT_OUT_CHAIN = "device_maintenance_sent_out"


class MaintenancePayload(BaseModel):
    """What the request carries: the maintenance, and a summary for the approvers' lists."""

    model_config = ConfigDict(extra="forbid")

    maintenance_id: int = Field(ge=1, le=MAX_ID)
    number: str = Field(default="", max_length=50)
    mode: str = Field(pattern="^(in_house|on_site|sent_out)$")
    fault: str = Field(default="", max_length=500)
    repairer: str = Field(default="", max_length=200)


def maintenance_payload(maintenance: Maintenance) -> dict[str, Any]:
    return {"maintenance_id": maintenance.pk, "number": maintenance.device.number[:50],
            "mode": maintenance.mode, "fault": maintenance.fault[:500],
            "repairer": maintenance.repairer[:200]}


class RetirementPayload(BaseModel):
    """What the request carries: the retirement, and a summary for the approvers' lists."""

    model_config = ConfigDict(extra="forbid")

    retirement_id: int = Field(ge=1, le=MAX_ID)
    number: str = Field(default="", max_length=50)
    reason: str = Field(default="", max_length=500)


def retirement_payload(retirement: Retirement) -> dict[str, Any]:
    subject = retirement.device if retirement.device_id else retirement.medium
    return {"retirement_id": retirement.pk, "number": subject.number[:50] if subject else "",
            "reason": retirement.reason[:500]}


def _maintenance_row(payload: dict[str, Any], *fields: str) -> dict[str, Any] | None:
    return Maintenance.objects.filter(pk=int(payload.get("maintenance_id") or 0)).values(
        *fields).first()


def _retirement_row(payload: dict[str, Any]) -> dict[str, Any] | None:
    """The level and department of the retired device or medium (read from the ledger)."""
    row = Retirement.objects.filter(pk=int(payload.get("retirement_id") or 0)).values(
        "device__level", "device__department_id", "medium__level",
        "medium__department_id").first()
    if row is None:
        return None
    device = row["device__level"] is not None
    return {"level": row["device__level"] if device else row["medium__level"],
            "department": (row["device__department_id"] if device
                           else row["medium__department_id"])}


def _already_filed(record: Any, requested: str) -> bool:
    """Filed once (request still None); filed again only after a return."""
    return record.state != requested or (
        record.request is not None and record.request.state != RequestState.RETURNED)


class DeviceMaintenanceRequest(RequestType):
    code = "device_maintenance"
    subject_page = "devices:maintenance_detail"
    label = gettext_lazy("Maintenance of a classified device")
    payload_schema = MaintenancePayload

    def describe(self, payload: dict[str, Any]) -> str:
        mode = payload.get("mode", "")
        mode_label = MaintenanceMode(mode).label if mode in MaintenanceMode.values else mode
        return _("%(mode)s of %(number)s by %(repairer)s: %(fault)s") % {
            "mode": mode_label, "number": payload.get("number", ""),
            "repairer": payload.get("repairer", ""), "fault": payload.get("fault", "")}

    def level_of(self, payload: dict[str, Any]) -> Level:
        """rule L5: the device's level (read from the ledger, not from the payload)."""
        row = _maintenance_row(payload, "device__level")
        return Level(int(row["device__level"])) if row else Level.NONSECRET

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        """The 部门负责人 step is the head of the device's department."""
        row = _maintenance_row(payload, "device__department_id")
        return row["device__department_id"] if row else None

    def chain(self, policy: Policy, level: int, payload: dict[str, Any]) -> list[str]:
        """rule D7: a device sent out has its own chain when the policy names one."""
        if payload.get("mode") == MaintenanceMode.SENT_OUT \
                and SENT_OUT_CHAIN in policy["approvals.chains"]:
            return policy.chain(SENT_OUT_CHAIN, level)
        return policy.chain(self.code, level)

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .services import check_maintenance

        assert isinstance(payload, MaintenancePayload)
        maintenance = (Maintenance.objects.select_related("device", "supervisor", "request")
                       .filter(pk=payload.maintenance_id).first())
        if maintenance is None or maintenance.created_by_id != getattr(actor, "pk", None):
            message = _("Choose a maintenance you asked for.")
            raise InvalidInput(message, code="unknown_maintenance",
                               fields={"maintenance_id": message})
        if payload.mode != maintenance.mode:
            message = _("The mode of repair is the maintenance's.")
            raise InvalidInput(message, code="mode_changed", fields={"mode": message})
        if _already_filed(maintenance, MaintenanceState.REQUESTED):
            raise Conflict(_("This maintenance has already been submitted."),
                           code="already_decided")
        check_maintenance(maintenance)  # rules D7, D8, again at every resubmission

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services import conclude_maintenance

        conclude_maintenance(actor, self._maintenance(request), approved=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services import conclude_maintenance

        conclude_maintenance(actor, self._maintenance(request), approved=False)

    def on_withdrawn(self, request: Request, actor: Any) -> None:
        from .services import withdraw_maintenance

        withdraw_maintenance(actor, self._maintenance(request))

    def _maintenance(self, request: Request) -> Maintenance:
        found = Maintenance.objects.filter(pk=request.payload.get("maintenance_id")).first()
        if found is None:
            raise Conflict(_("The maintenance named in the request no longer exists."),
                           code="unknown_maintenance")
        return found


class DeviceRetirementRequest(RequestType):
    code = "device_retirement"
    subject_page = "devices:retirement_detail"
    label = gettext_lazy("Retirement of a classified device or medium")
    payload_schema = RetirementPayload

    def describe(self, payload: dict[str, Any]) -> str:
        return _("Retirement of %(number)s: %(reason)s") % {
            "number": payload.get("number", ""), "reason": payload.get("reason", "")}

    def level_of(self, payload: dict[str, Any]) -> Level:
        """rule L5: the level of the device or medium (read from the ledger)."""
        row = _retirement_row(payload)
        return Level(int(row["level"])) if row else Level.NONSECRET

    def department_of(self, actor: Any, payload: dict[str, Any]) -> int | None:
        row = _retirement_row(payload)
        return row["department"] if row else None

    def check(self, actor: Any, payload: BaseModel) -> None:
        from .services import check_retirement

        assert isinstance(payload, RetirementPayload)
        retirement = (Retirement.objects.select_related("device", "medium", "request")
                      .filter(pk=payload.retirement_id).first())
        if retirement is None or retirement.created_by_id != getattr(actor, "pk", None):
            message = _("Choose a retirement you asked for.")
            raise InvalidInput(message, code="unknown_retirement",
                               fields={"retirement_id": message})
        if _already_filed(retirement, RetirementState.REQUESTED):
            raise Conflict(_("This retirement has already been submitted."),
                           code="already_decided")
        check_retirement(retirement)  # rule D8, again at every resubmission

    def on_approved(self, request: Request, actor: Any) -> None:
        from .services import conclude_retirement

        conclude_retirement(actor, self._retirement(request), approved=True)

    def on_rejected(self, request: Request, actor: Any) -> None:
        from .services import conclude_retirement

        conclude_retirement(actor, self._retirement(request), approved=False)

    def on_withdrawn(self, request: Request, actor: Any) -> None:
        from .services import withdraw_retirement

        withdraw_retirement(actor, self._retirement(request))

    def _retirement(self, request: Request) -> Retirement:
        found = Retirement.objects.filter(pk=request.payload.get("retirement_id")).first()
        if found is None:
            raise Conflict(_("The retirement named in the request no longer exists."),
                           code="unknown_retirement")
        return found


register_request_type(DeviceMaintenanceRequest())
register_request_type(DeviceRetirementRequest())
