"""Demo assessments of 华信电子科技研究院 (rules Q2, Q3), scored by its 保密办 (刘晓燕):

- the 2025 self-assessment against the shipped consulting-unit standard: 93 points, passed;
- the 2026 self-assessment: 95 points, yet failed — 经营业绩 was not good two years running,
  a veto item (终止项) not met (rule Q3); the result page compares it with 2025;
- an imported standard of the unit's own, 商业秘密保护自评标准 (3 groups), shipped below as YAML.

Idempotent: nothing is written when the unit already has an assessment or the standard.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from baomi.accounts.models import Unit
from baomi.core.demo import DemoContext

from . import services_assessments as services
from .models import Assessment, Standard

TRADE_SECRETS = """\
# 商业秘密保护自评标准 — 华信电子科技研究院自定，供年度自评使用
id: hxdz_trade_secrets
version: 1
title: 商业秘密保护自评标准
total: 30
pass_mark: 24
groups:
  - code: org
    title: 组织与制度
    items:
      - code: org.1
        text: 明确商业秘密保护的归口管理部门和责任人
        criteria: 查阅任命文件；未明确不得分
        points: 0
        veto: true
      - code: org.2
        text: 制定商业秘密保护管理制度并定期修订
        criteria: 未制定不得分；超过3年未修订扣2分
        points: 6
        veto: false
  - code: scope
    title: 定密与标识
    items:
      - code: scope.1
        text: 建立商业秘密事项清单，确定知悉范围
        criteria: 无清单不得分；知悉范围不明确扣3分
        points: 8
        veto: false
      - code: scope.2
        text: 涉及商业秘密的文件资料标注“商业秘密”标志
        criteria: 抽查10份，每1份未标注扣1分
        points: 6
        veto: false
  - code: people
    title: 人员与合同
    items:
      - code: people.1
        text: 与接触商业秘密的员工签订保密协议或竞业限制协议
        criteria: 抽查，每1人未签订扣2分
        points: 6
        veto: false
      - code: people.2
        text: 对外合作项目签订保密条款
        criteria: 抽查合同，每1份无保密条款扣1分
        points: 4
        veto: false
"""

# (year, assessed on, points lost per item with the note, veto items not met with the note)
ASSESSMENTS: list[tuple[int, dt.date, dict[str, tuple[str, str]], dict[str, str]]] = [
    (2025, dt.date(2025, 11, 20), {
        "org.5": ("1.5", "2025年保密工作领导小组只召开1次会议"),
        "staff.4": ("2", "2名外聘专家年度培训不足15学时"),
        "site.2": ("2", "保密室窗户未安装防盗网"),
        "equipment.4": ("1.5", "保密技术检查工具未定期使用"),
    }, {}),
    (2026, dt.date(2026, 11, 18), {
        "staff.4": ("1", "1名新入职人员培训不足15学时"),
        "office.r5": ("2", "新任兼职保密员尚未取得上岗资格"),
        "rules.2": ("2", "机密级项目专项保密管理制度未覆盖外协环节"),
    }, {"basic.3": "2025年度亏损，经营业绩未达到连续2年盈利"}),
]


def _entries(assessment: Assessment, lost: dict[str, tuple[str, str]],
             unmet: dict[str, str]) -> list[dict[str, Any]]:
    entries = []
    for row in assessment.scores.all():
        if row.veto:
            entries.append({"item": row.item_code, "met": row.item_code not in unmet,
                            "note": unmet.get(row.item_code, "")})
        else:
            points, note = lost.get(row.item_code, ("0", ""))
            entries.append({"item": row.item_code, "note": note,
                            "awarded": row.max_points - Decimal(points)})
    return entries


def _assess(office: Any, unit: Unit, standard: Standard) -> None:
    for year, day, lost, unmet in ASSESSMENTS:
        assessment = services.start_assessment(
            office, unit=unit, standard=standard, year=year, assessed_on=day,
            assessor_names="刘晓燕、韩磊、陈建华", note=f"{year}年度安全保密条件自评")
        services.score_items(office, assessment, _entries(assessment, lost, unmet))
        services.complete_assessment(office, assessment)


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("baomiban")
    if office is None:
        return
    unit = Unit.objects.get(pk=office.person.unit_id)
    services.install_shipped_standards()
    if not Standard.objects.filter(unit=unit, code="hxdz_trade_secrets").exists():
        services.import_standard(office, unit=unit, text=TRADE_SECRETS)
    if Assessment.objects.filter(unit=unit).exists():
        ctx.say("compliance: demo assessments already recorded")
        return
    standard = Standard.objects.filter(unit__isnull=True, code="consulting_unit").order_by(
        "-version").first()
    if standard is None:
        return
    _assess(office, unit, standard)
    ctx.say("compliance: self-assessments 2025 (93, passed) and 2026 (95, failed on a veto "
            "item); the standard 商业秘密保护自评标准 imported")
