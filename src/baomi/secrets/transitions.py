"""The lifecycle of a secret item (rules S3, S4, S6, S10)."""

from baomi.core.transitions import table

from .choices import ItemState as S

ITEM = table("state", [
    (S.PROPOSED, S.DETERMINED, None),        # the 定密责任人 decided (rule S4)
    (S.PROPOSED, S.REJECTED, None),          # not a secret
    (S.PROVISIONAL, S.DETERMINED, None),     # the competent authority decided (rule S3)
    (S.PROVISIONAL, S.REJECTED, None),
    (S.DETERMINED, S.DECLASSIFIED, None),    # expiry (rule S6) or a decision (rule S10)
    (S.DETERMINED, S.EXPIRY_REVIEW, None),   # expiry where policy asks for a review (rule S6)
    (S.EXPIRY_REVIEW, S.DETERMINED, None),   # the review extended the period (rule S10)
    (S.EXPIRY_REVIEW, S.DECLASSIFIED, None),
])
