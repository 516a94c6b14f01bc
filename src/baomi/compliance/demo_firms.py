"""Demo outside firms of 华信电子科技研究院 (rules Q8, Q11), recorded by its 保密办 (baomiban)
through the services:

- 北京华审会计师事务所: a qualified 审计 firm with a filed protocol, a 秘密 audit contract and its
  2025 yearly report;
- 西安精工机械加工有限公司: a 外协 subcontractor on the 名录 with a 秘密 machining contract;
- 苏州恒通电子科技有限公司: a 外协 subcontractor not on the 名录, with 非密 work only (rule Q8);
- 北京智诚保密咨询有限公司: a consulting unit whose change of shareholders was reported on
  2026-10-20 and is not re-reviewed yet (`compliance.firm_change_review_due`);
- 上海立信资产评估有限公司: struck off on 2026-06-01, may re-apply from 2027-06-01;
- 北京泰和律师事务所: a law firm with foreign capital, not qualified for classified work.

Idempotent: nothing is written when the unit already has a firm.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from baomi.accounts.models import Person, Unit
from baomi.core.demo import DemoContext
from baomi.core.labels import Level

from . import services_firms as services
from .choices_firms import FirmKind
from .models import Firm

D = dt.date


def credit_code(body: str) -> str:
    """`body` (17 characters) with its GB 32100-2015 check character."""
    total = sum(services.CREDIT_ALPHABET.index(ch) * weight
                for ch, weight in zip(body, services.CREDIT_WEIGHTS, strict=True))
    return body + services.CREDIT_ALPHABET[(31 - total % 31) % 31]


@dataclass
class DemoFirm:
    """One demo firm: its conditions, a protocol (signed, filed), contracts (title, level,
    work, signed on, responsible person), yearly reports (year, received on), a change
    (occurred, reported, description) and a strike-off (day, reason)."""

    name: str
    code: str
    kind: str
    contact: str
    conditions: dict[str, Any] = field(default_factory=dict)
    protocol: tuple[D, D, D | None, str] | None = None
    contracts: list[tuple[str, int, str, D, str]] = field(default_factory=list)
    reports: list[tuple[int, D]] = field(default_factory=list)
    change: tuple[D, D, str] | None = None
    struck_off: tuple[D, str] | None = None


FIRMS = [
    DemoFirm("北京华审会计师事务所（特殊普通合伙）", credit_code("91110105MA01AB2C3"),
             FirmKind.AUDIT, "周建国 010-65123456",
             {"security_review_passed_on": D(2024, 5, 10), "note": "承担年度财务审计"},
             (D(2025, 1, 8), D(2025, 1, 10), D(2027, 12, 31), "年度财务审计、专项审计"),
             [("2025年度财务报表审计", Level.SECRET, "财务审计", D(2025, 2, 15), "刘晓燕")],
             [(2025, D(2026, 3, 20))]),
    DemoFirm("西安精工机械加工有限公司", credit_code("91610131MA6U1B2D4"),
             FirmKind.SUBCONTRACTOR, "马海军 029-88451234",
             {"security_review_passed_on": D(2024, 8, 20), "on_directory": True,
              "directory_number": "外协名录-2024-0137"},
             (D(2024, 9, 1), D(2024, 9, 5), None, "结构件外协加工"),
             [("某型天线结构件精密加工", Level.SECRET, "机械加工", D(2025, 3, 10), "张伟")],
             [(2025, D(2026, 3, 25))]),
    DemoFirm("苏州恒通电子科技有限公司", credit_code("91320594MA1N2C3E5"),
             FirmKind.SUBCONTRACTOR, "沈立 0512-62581234",
             {"note": "未列入外协名录，仅承担非密加工"}, None,
             [("通用线缆组件加工", Level.NONSECRET, "线缆组装", D(2026, 4, 1), "张伟")]),
    DemoFirm("北京智诚保密咨询有限公司", credit_code("91110108MA00CD4F6"),
             FirmKind.CONSULTING, "许文 010-82671234",
             {"security_review_passed_on": D(2024, 3, 1)},
             (D(2024, 3, 15), D(2024, 3, 18), D(2027, 3, 14), "保密资格认定咨询"),
             [("保密资格复审咨询服务", Level.SECRET, "咨询服务", D(2025, 6, 1), "刘晓燕")],
             [(2025, D(2026, 3, 30))],
             change=(D(2026, 10, 15), D(2026, 10, 20), "法定代表人及控股股东变更")),
    DemoFirm("上海立信资产评估有限公司", credit_code("91310101MA1G5H6J7"),
             FirmKind.APPRAISAL, "钱雯 021-63391234",
             {"security_review_passed_on": D(2023, 11, 2)},
             (D(2023, 12, 1), D(2023, 12, 5), None, "资产评估"),
             struck_off=(D(2026, 6, 1), "资格审查中提供虚假材料，不再列入中介机构名单")),
    DemoFirm("北京泰和律师事务所", credit_code("31110000MD0123K4L"),
             FirmKind.LEGAL, "赵律师 010-85201234",
             {"foreign_capital": True, "note": "有外资背景，不得承担涉密业务"}),
]


def _register(office: Any, unit: Unit, spec: DemoFirm, people: dict[str, Person]) -> Firm:
    firm = services.register_firm(office, unit=unit, name=spec.name, credit_code=spec.code,
                                  kind=spec.kind, contact=spec.contact, **spec.conditions)
    if spec.protocol:
        signed, filed, expires, scope = spec.protocol
        services.record_protocol(office, firm, signed_on=signed, filed_on=filed,
                                 expires_on=expires, scope=scope, secrecy_clauses=True)
    for title, level, work, signed_on, who in spec.contracts:
        services.sign_contract(office, firm, title=title, level=level, work_kind=work,
                               signed_on=signed_on, responsible=people[who])
    for year, received_on in spec.reports:
        services.record_year_report(office, firm, year=year, received_on=received_on)
    if spec.change:
        occurred, reported, description = spec.change
        services.report_change(office, firm, occurred_on=occurred, reported_on=reported,
                               description=description)
    if spec.struck_off:
        day, reason = spec.struck_off
        services.strike_off_firm(office, firm, struck_off_on=day, reason=reason)
    return firm


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    if Firm.objects.filter(unit=unit).exists():
        ctx.say("compliance: demo outside firms already registered")
        return
    people = {p.name: p for p in Person.objects.filter(unit=unit, active=True)}
    for spec in FIRMS:
        _register(office, unit, spec, people)
    ctx.say(f"compliance: {len(FIRMS)} outside firms — one change awaiting re-review, "
            "one struck off, one with foreign capital, one subcontractor off the directory")
