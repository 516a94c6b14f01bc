"""The demo assessments (rules Q2, Q3): 2025 passed at 93, 2026 at 95 failed on a veto item,
the unit's own standard imported; a second load adds nothing."""

from decimal import Decimal
from io import StringIO

import pytest

from baomi.accounts import demo as accounts_demo
from baomi.audit.models import AuditEvent
from baomi.compliance import demo_assessments
from baomi.compliance.models import Assessment, Standard
from baomi.compliance.selectors_assessments import assessment_result, assessment_scores_by_year
from baomi.core.demo import DemoContext


def load_twice():
    context = DemoContext(out=StringIO())
    accounts_demo.load(context)
    demo_assessments.load(context)
    written = (Assessment.objects.count(), Standard.objects.count(), AuditEvent.objects.count())
    demo_assessments.load(DemoContext(out=StringIO(), users=context.users))
    assert (Assessment.objects.count(), Standard.objects.count(),
            AuditEvent.objects.count()) == written


@pytest.mark.rule("Q3")
@pytest.mark.django_db
def test_demo_assessments_load_once():
    load_twice()
    unit = Assessment.objects.first().unit
    assert unit.name == "华信电子科技研究院"
    assert assessment_scores_by_year(unit) == [(2025, Decimal(93), True),
                                              (2026, Decimal(95), False)]
    latest = Assessment.objects.get(year=2026)
    result = assessment_result(latest)
    assert [row["score"].item_code for row in result.vetoes_failed] == ["basic.3"]
    assert result.previous.year == 2025 and result.delta == Decimal(2)
    own = Standard.objects.get(unit=unit)
    assert (own.title, len(own.definition["groups"])) == ("商业秘密保护自评标准", 3)
