"""Writes of the devices app, one module per part (ledger, media); callers write
`from baomi.devices import services; services.<name>`."""

from .ledger import (
    READ_AUDITED_FROM,
    add_device_user,
    change_device_level,
    device_values,
    medium_values,
    read_is_audited,
    record_device_read,
    record_devices_export,
    record_media_export,
    record_medium_read,
    register_device,
    register_medium,
    remove_device_user,
    require_off_phone_line,
    update_device,
    update_medium,
    visible_medium,
)
from .media import (
    bind_medium,
    binding_refusal,
    check_out_medium,
    may_bind,
    return_medium,
    takes_media,
    unbind_medium,
)
from .passwords import (
    may_record_password,
    password_due_on,
    password_rules,
    record_password_change,
)
from .systems import (
    add_system_device,
    assessment_months,
    assessment_overdue,
    next_assessment_due,
    record_assessment,
    register_system,
    remove_system_device,
)

__all__ = [  # ledger
    "READ_AUDITED_FROM",
    "add_device_user",
    "change_device_level",
    "device_values",
    "medium_values",
    "read_is_audited",
    "record_device_read",
    "record_devices_export",
    "record_media_export",
    "record_medium_read",
    "register_device",
    "register_medium",
    "remove_device_user",
    "require_off_phone_line",
    "update_device",
    "update_medium",
    "visible_medium",
    # media
    "bind_medium",
    "binding_refusal",
    "check_out_medium",
    "may_bind",
    "return_medium",
    "takes_media",
    "unbind_medium",
    # passwords
    "may_record_password",
    "password_due_on",
    "password_rules",
    "record_password_change",
    # systems
    "add_system_device",
    "assessment_months",
    "assessment_overdue",
    "next_assessment_due",
    "record_assessment",
    "register_system",
    "remove_system_device",
]
