"""The lifecycle of a classified person (rule P1): 拟定 → 审查中 → 待培训 → 在岗 → 离岗审批中 →
脱密期 → 已解脱 (rules P10–P14).

Guards that need more than the file itself (training, commitment, custody) run in the services.
"""

from baomi.core.transitions import table

from .choices import ExitState, TripState
from .choices import FileState as S

FILE = table("state", [
    (S.PROPOSED, S.REVIEWING, None),        # initial 保密审查 filed (rule P2)
    (S.REVIEW_FAILED, S.REVIEWING, None),   # a new review after a failed one
    (S.REVIEWING, S.TRAINING, None),        # review approved
    (S.REVIEWING, S.REVIEW_FAILED, None),   # review rejected
    (S.TRAINING, S.IN_POST, None),          # 先培训后上岗 (rule P3), checked by start_in_post
    (S.IN_POST, S.REVIEW_FAILED, None),     # a 复审 (rule P6) not passed
    (S.IN_POST, S.LEAVING, None),           # 离岗/离职 filed (rule P10)
    (S.LEAVING, S.IN_POST, None),           # the exit rejected or withdrawn
    (S.LEAVING, S.DECLASSIFYING, None),     # the exit approved: the 脱密期 starts (rule P11)
    (S.DECLASSIFYING, S.RELEASED, None),    # period over, 撤销备案 filed (rule P14)
])

# An exit request (rule P10), moved by the approvals engine's decision or a withdrawal.
EXIT = table("state", [
    (ExitState.PENDING, ExitState.APPROVED, None),
    (ExitState.PENDING, ExitState.REJECTED, None),
    (ExitState.PENDING, ExitState.WITHDRAWN, None),
])

# Importing an existing ledger (services.people.import_ledger): people appointed before the
# system existed enter it in post. A table of its own, so that no other service can skip
# review, training and commitment (rule P3).
IMPORTED = table("state", [(S.PROPOSED, S.IN_POST, None)])

# A trip abroad (rules P8, P9). The document handed back and the return visit may come in
# either order; the trip closes when both are done.
T = TripState
TRIP = table("state", [
    (T.APPLIED, T.APPROVED, None),        # the approvals chain approved (rule P8)
    (T.APPLIED, T.REJECTED, None),
    (T.APPLIED, T.CANCELLED, None),       # the request withdrawn by the requester
    (T.APPROVED, T.TALKED, None),         # 行前保密提醒谈话 by at least two people
    (T.TALKED, T.COMMITTED, None),        # 保密承诺书 signed
    (T.COMMITTED, T.ISSUED, None),        # document issued from custody
    (T.ISSUED, T.RETURNED, None),
    (T.RETURNED, T.DOCUMENT_BACK, None),
    (T.RETURNED, T.VISITED, None),
    (T.DOCUMENT_BACK, T.CLOSED, None),
    (T.VISITED, T.CLOSED, None),
    (T.APPROVED, T.CANCELLED, None),
    (T.TALKED, T.CANCELLED, None),
    (T.COMMITTED, T.CANCELLED, None),
    (T.ISSUED, T.CANCELLED, None),        # did not travel: the document is handed back
])
