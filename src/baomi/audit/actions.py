"""What each audit action means, in words the auditor reads beside the stable code.

Apps with actions of their own add them with `register_actions` (e.g. from their AppConfig.ready);
an action without a label is still shown, by its code.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, Any] = {
    # accounts
    "UNIT_CREATED": _("Unit created"),
    "DEPARTMENT_CREATED": _("Department created"),
    "PERSON_CREATED": _("Person created"),
    "PERSON_CATEGORY_CHANGED": _("Classified category changed"),
    "USER_CREATED": _("Login created"),
    "USER_ACTIVATED": _("Login enabled"),
    "USER_DEACTIVATED": _("Login disabled"),
    "ACCESS_WITHDRAWN_ON_EXIT": _("Access withdrawn on exit"),
    "PASSWORD_CHANGED": _("Password changed"),
    "PASSWORD_RESET": _("Password reset"),
    "ROLE_ASSIGNED": _("Role assigned"),
    "ROLE_REVOKED": _("Role revoked"),
    "POLICY_PROFILE_CHANGED": _("Policy profile changed"),
    "POLICY_OVERRIDE_SET": _("Policy value overridden"),
    "POLICY_OVERRIDE_CLEARED": _("Policy override removed"),
    "LOGIN_SUCCEEDED": _("Logged in"),
    "LOGIN_FAILED": _("Login failed"),
    "ACCOUNT_LOCKED": _("Account locked"),
    "LOGGED_OUT": _("Logged out"),
    "SESSION_EXPIRED": _("Session expired"),
    "API_TOKEN_CREATED": _("API token created"),
    "API_TOKEN_REVOKED": _("API token revoked"),
    # personnel
    "PERSON_CATEGORY_DERIVED": _("Classified category derived from posts"),
    "POST_CREATED": _("Classified post created"),
    "POST_UPDATED": _("Classified post changed"),
    "POST_DEACTIVATED": _("Classified post abolished"),
    "PERSONNEL_FILE_OPENED": _("Classified-personnel file opened"),
    "POST_ASSIGNED": _("Classified post assigned"),
    "POST_ENDED": _("Classified post left"),
    "PERSONNEL_LEDGER_EXPORTED": _("Classified personnel ledger exported"),
    "PERSONNEL_IMPORTED": _("Classified personnel ledger imported"),
    "PERSONNEL_REVIEW_STARTED": _("Security review filed"),
    "PERSONNEL_REVIEW_PASSED": _("Security review passed"),
    "PERSONNEL_REVIEW_FAILED": _("Security review failed"),
    "PERSONNEL_REVIEW_RESUBMITTED": _("Security review resubmitted"),
    "PERSONNEL_REVIEW_ATTACHMENT_ADDED": _("Security review attachment added"),
    "PERSONNEL_TRAINING_RECORDED": _("Confidentiality training recorded"),
    "PERSONNEL_COMMITMENT_RECORDED": _("Signed commitment recorded"),
    "PERSONNEL_IN_POST_STARTED": _("Classified person started in post"),
    "PERSONNEL_MATTER_REPORTED": _("Major personal matters report filed"),
    "PERSONNEL_MATTER_REPORT_ACKNOWLEDGED": _("Major personal matters report acknowledged"),
    "PERSONNEL_ALLOWANCE_EXPORTED": _("Confidentiality allowance sheet exported"),
    "PERSONNEL_FILING_EXPORTED": _("Classified personnel filing exported"),
    "TRAVEL_DOCUMENT_REGISTERED": _("Travel document registered for custody"),
    "TRAVEL_DOCUMENT_RECEIVED": _("Travel document handed back into custody"),
    "TRAVEL_DOCUMENTS_EXPORTED": _("Travel document ledger exported"),
    "TRIP_APPLIED": _("Trip abroad applied for"),
    "TRIP_APPROVED": _("Trip abroad approved"),
    "TRIP_REJECTED": _("Trip abroad rejected"),
    "TRIP_TALK_RECORDED": _("Pre-trip confidentiality talk recorded"),
    "TRIP_COMMITMENT_RECORDED": _("Travel confidentiality commitment recorded"),
    "TRIP_DOCUMENT_ISSUED": _("Travel document issued for a trip"),
    "TRIP_RETURN_RECORDED": _("Return from a trip abroad recorded"),
    "TRIP_VISIT_RECORDED": _("Return visit recorded"),
    "TRIP_CANCELLED": _("Trip abroad cancelled"),
    "EXIT_FILED": _("Exit of classified personnel filed"),
    "EXIT_APPROVED": _("Exit of classified personnel approved"),
    "EXIT_REJECTED": _("Exit of classified personnel rejected"),
    "EXIT_WITHDRAWN": _("Exit of classified personnel withdrawn"),
    "EXIT_COMMITMENT_RECORDED": _("Exit confidentiality commitment recorded"),
    "EXIT_TALK_RECORDED": _("Exit reminder talk recorded"),
    "EXIT_DOOR_ACCESS_REVOKED": _("Door access revoked on exit"),
    "DECLASSIFICATION_EXTENDED": _("Declassification period extended"),
    "DECLASSIFICATION_VISIT_RECORDED": _("Declassification-period return visit recorded"),
    "DECLASSIFICATION_RELEASED": _("Filing withdrawn at the end of the declassification period"),
    # secrets
    "SECRET_AUTHORITY_SET": _("Classification authority recorded"),
    "SECRET_ITEM_PROPOSED": _("Secret item proposed"),
    "SECRET_ITEM_DETERMINED": _("Secret item classified"),
    "SECRET_ITEM_REJECTED": _("Secret item not classified"),
    "SECRET_ITEM_WITHDRAWN": _("Secret item proposal withdrawn"),
    "SECRET_SUPERIOR_DECISION_RECORDED": _("Superior authority's classification decision recorded"),
    "SECRET_CHANGE_REQUESTED": _("Change of classification requested"),
    "SECRET_ITEM_CHANGED": _("Classification of a secret item changed"),
    "SECRET_ITEM_DECLASSIFIED": _("Secret item declassified by decision"),
    "SECRET_SCOPE_ADDITION_REQUESTED": _("Addition to a need-to-know scope requested"),
    "SECRET_SCOPE_ADDED": _("Need-to-know scope extended"),
    "SECRET_KNOWLEDGE_RECORDED": _("Knowledge of a secret item recorded"),
    "SECRET_ITEM_REVIEWED": _("Annual review of a secret item recorded"),
    "SECRET_ITEM_EXPIRED": _("Secret item declassified at the end of its period"),
    "SECRET_EXPIRY_REVIEW_OPENED": _("Expiry review of a secret item opened"),
    "SECRET_ITEM_READ": _("Classified secret item read"),
    "SECRET_ITEMS_EXPORTED": _("Register of secret items exported"),
    # carriers
    "CONTAINER_REGISTERED": _("Secrecy container registered"),
    "CONTAINER_UPDATED": _("Secrecy container changed"),
    "CARRIER_REGISTERED": _("Classified carrier registered"),
    "CARRIER_STORED": _("Classified carrier put in a container"),
    "CARRIER_CUSTODIAN_CHANGED": _("Custodian of a classified carrier changed"),
    "CARRIER_LOAN_REQUESTED": _("Loan of a classified carrier requested"),
    "CARRIER_LOAN_APPROVED": _("Loan of a classified carrier approved"),
    "CARRIER_LOAN_REJECTED": _("Loan of a classified carrier rejected"),
    "CARRIER_LOAN_WITHDRAWN": _("Loan of a classified carrier withdrawn"),
    "CARRIER_HANDED_OUT": _("Classified carrier handed out on loan"),
    "CARRIER_RETURNED": _("Classified carrier returned from loan"),
    "CARRIER_READ": _("Classified carrier read"),
    "CARRIERS_EXPORTED": _("Classified carrier ledger exported"),
    # carriers copying
    "CARRIER_COPY_REQUESTED": _("Copy of a classified carrier requested"),
    "CARRIER_COPY_APPROVED": _("Copy of a classified carrier approved"),
    "CARRIER_COPY_REJECTED": _("Copy of a classified carrier rejected"),
    "CARRIER_COPY_WITHDRAWN": _("Copy of a classified carrier withdrawn"),
    "CARRIER_COPIES_MADE": _("Copies of a classified carrier made and registered"),
    "CARRIER_PRINT_RECORDED": _("Classified printout logged"),
    "CARRIER_PRINTS_EXPORTED": _("Print log exported"),
    # carriers destruction
    "DESTRUCTION_BATCH_CREATED": _("Destruction list of classified carriers drawn up"),
    "DESTRUCTION_CARRIER_LISTED": _("Classified carrier put on a destruction list"),
    "DESTRUCTION_CARRIER_UNLISTED": _("Classified carrier taken off a destruction list"),
    "DESTRUCTION_BATCH_SUBMITTED": _("Destruction list submitted for approval"),
    "DESTRUCTION_BATCH_APPROVED": _("Destruction list approved"),
    "DESTRUCTION_BATCH_REJECTED": _("Destruction list rejected; carriers back in store"),
    "DESTRUCTION_BATCH_WITHDRAWN": _("Destruction list withdrawn from approval"),
    "DESTRUCTION_RECORDED": _("Destruction of classified carriers recorded"),
    "CARRIER_DESTROYED": _("Classified carrier destroyed"),
    # carriers stocktake
    "STOCKTAKE_STARTED": _("Carrier stocktake started"),
    "STOCKTAKE_CARRIER_CHECKED": _("Carrier found at a stocktake"),
    "STOCKTAKE_LINE_MARKED": _("Stocktake result recorded by hand"),
    "STOCKTAKE_CLOSED": _("Carrier stocktake closed"),
    "CARRIER_MISSING": _("Classified carrier's whereabouts unknown"),
    "CARRIER_FOUND": _("Missing classified carrier found again"),
    "MISSING_CARRIER_INCIDENT": _("Missing classified carrier handled as a leak"),
    # carriers movement
    "CARRIER_MOVEMENT_REQUESTED": _("Sending or taking out a classified carrier requested"),
    "CARRIER_MOVEMENT_APPROVED": _("Sending or taking out a classified carrier approved"),
    "CARRIER_MOVEMENT_REJECTED": _("Sending or taking out a classified carrier rejected"),
    "CARRIER_MOVEMENT_WITHDRAWN": _("Sending or taking out a classified carrier withdrawn"),
    "CARRIER_MOVEMENT_HANDED_OVER": _("Classified carrier handed over to leave the unit"),
    "CARRIER_MOVEMENT_RETURNED": _("Classified carrier brought back into the unit"),
    "CARRIER_MOVEMENT_RECEIVED": _("Receipt of a classified carrier sent out recorded"),
    # devices ledger
    "DEVICE_REGISTERED": _("Classified device registered"),
    "DEVICE_UPDATED": _("Classified device changed"),
    "DEVICE_LEVEL_CHANGED": _("Level of a classified device changed"),
    "DEVICE_USER_ADDED": _("User of a classified device added"),
    "DEVICE_USER_REMOVED": _("User of a classified device removed"),
    "DEVICE_READ": _("Classified device read"),
    "DEVICE_PASSWORD_CHANGED": _("Password change of a classified device recorded"),
    "DEVICES_EXPORTED": _("Classified device ledger exported"),
    "SYSTEM_REGISTERED": _("Classified information system registered"),
    "SYSTEM_DEVICE_ADDED": _("Device added to a classified information system"),
    "SYSTEM_DEVICE_REMOVED": _("Device removed from a classified information system"),
    "RISK_ASSESSMENT_RECORDED": _("Risk assessment of a classified information system recorded"),
    "MEDIUM_REGISTERED": _("Removable medium registered"),
    "MEDIUM_UPDATED": _("Removable medium changed"),
    "MEDIUM_READ": _("Classified removable medium read"),
    "MEDIA_EXPORTED": _("Removable media ledger exported"),
    # devices media
    "MEDIUM_BOUND": _("Removable medium bound to a computer"),
    "MEDIUM_UNBOUND": _("Removable medium unbound from a computer"),
    "MEDIUM_CHECKED_OUT": _("Removable medium checked out"),
    "MEDIUM_RETURNED": _("Removable medium returned, content checked"),
    # compliance
    "INCIDENT_RECORDED": _("Leak incident recorded"),
    "SECURE_ROOM_REGISTERED": _("Secure room registered"),
    "SECURE_ROOM_UPDATED": _("Secure room updated"),
    "INCIDENT_READ": _("Classified leak incident read"),
    # approvals
    "REQUEST_SUBMITTED": _("Request submitted"),
    "REQUEST_STEP_APPROVED": _("Approval step approved"),
    "REQUEST_APPROVED": _("Request approved"),
    "REQUEST_REJECTED": _("Request rejected"),
    "REQUEST_RETURNED": _("Request returned for changes"),
    "REQUEST_RESUBMITTED": _("Request resubmitted"),
    "REQUEST_WITHDRAWN": _("Request withdrawn"),
    "REQUEST_READ": _("Classified request read"),
    # obligations
    "SWEEP_RUN": _("Obligation sweep run"),
    "OBLIGATIONS_EXPORTED": _("Obligations exported"),
    # audit
    "AUDIT_EXPORTED": _("Audit trail exported"),
    "AUDIT_CHECKPOINT_SIGNED": _("Audit checkpoint signed"),
}


def register_actions(labels: dict[str, Any]) -> None:
    _LABELS.update(labels)


def action_label(code: str) -> str:
    """The translated meaning of an action code, or the code itself when none is known."""
    label = _LABELS.get(code)
    return str(label) if label is not None else code


def known_actions() -> set[str]:
    return set(_LABELS)
