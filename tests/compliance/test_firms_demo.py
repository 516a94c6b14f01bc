"""The demo outside firms (rules Q8, Q11): a qualified audit firm with its 2025 report, a
subcontractor on the 名录 with a 秘密 contract, one off the 名录 with 非密 work only, a change
awaiting re-review (its obligation open), a firm struck off, a law firm with foreign capital;
a second load adds nothing."""

import datetime as dt
from io import StringIO

import pytest

from baomi.accounts import demo as accounts_demo
from baomi.compliance import demo_firms
from baomi.compliance import services_firms as services
from baomi.compliance.choices_firms import FirmState
from baomi.compliance.models import Firm, FirmContract
from baomi.compliance.rules_firms import firm_change_review_due, firm_year_report_due
from baomi.compliance.selectors_firms import firm_summary
from baomi.core.demo import DemoContext
from baomi.core.labels import Level
from baomi.obligations.registry import Severity

TODAY = dt.date(2026, 11, 24)


@pytest.mark.rule("Q11")
def test_demo_firms_load_once(db):
    ctx = DemoContext(out=StringIO())
    accounts_demo.load(ctx)
    demo_firms.load(ctx)
    firms = {firm.name: firm for firm in Firm.objects.all()}
    assert len(firms) == 6
    unqualified = {name: services.qualification_shortfalls(firm, TODAY)
                   for name, firm in firms.items()}
    assert unqualified["北京华审会计师事务所（特殊普通合伙）"] == []
    assert unqualified["西安精工机械加工有限公司"] == []
    assert len(unqualified["苏州恒通电子科技有限公司"]) == 3  # review, protocol, 名录
    assert unqualified["北京智诚保密咨询有限公司"]  # the change awaits re-review
    assert unqualified["北京泰和律师事务所"]
    struck = firms["上海立信资产评估有限公司"]
    assert (struck.state, services.reapply_from(struck)) == (FirmState.STRUCK_OFF,
                                                              dt.date(2027, 6, 1))
    assert set(FirmContract.objects.filter(firm__name="苏州恒通电子科技有限公司")
               .values_list("level", flat=True)) == {Level.NONSECRET}
    [row] = firm_change_review_due(TODAY)
    assert (row["due_date"], row["severity"]) == (dt.date(2026, 11, 17), Severity.CRITICAL)
    assert list(firm_year_report_due(TODAY)) == []
    summary = firm_summary(struck.unit, 2026, on=TODAY)
    assert (summary["firms"], summary["qualified"], summary["struck_off"],
            summary["contracts_signed"]) == (6, 2, 1, 1)

    counts = (Firm.objects.count(), FirmContract.objects.count())
    demo_firms.load(ctx)
    assert (Firm.objects.count(), FirmContract.objects.count()) == counts
