"""The printed 年度保密自查报告 (rule Q5), built from the figures of `annual.annual_figures`:
each part of the unit's secrecy work as a short statement and its table, then the part the
保密办 writes by hand (problems found and next year's work) and the signatures."""

from typing import Any

from django.utils import translation

from baomi.carriers.choices import CarrierState
from baomi.core.docx import add_section, add_signature, add_table, new_document, to_bytes
from baomi.core.labels import Category, Level
from baomi.devices.choices import DeviceFamily
from baomi.devices.labels import LEVEL_WORDS

CATEGORY_WORDS = {Category.CORE: "核心", Category.IMPORTANT: "重要", Category.GENERAL: "一般"}
FAMILY_WORDS = {DeviceFamily.COMPUTER: "涉密计算机", DeviceFamily.OFFICE: "涉密办公自动化设备",
                DeviceFamily.SECURITY: "安全保密产品"}
STATES_SHOWN = [state for state in CarrierState if state != CarrierState.DESTROYED]
HAND_WRITTEN_LINES = 6


def _levels(max_level: int) -> list[Level]:
    """The levels a table shows: every level the report covers, 非密 first."""
    return [level for level in Level if level <= max_level]


def _state_words() -> list[str]:
    with translation.override("zh-hans"):
        return [str(state.label) for state in STATES_SHOWN]


def _people(document: Any, people: dict[str, Any]) -> None:
    add_section(document, "三、涉密人员管理",
                f"在岗涉密人员{people['in_post']}人；本年度新上岗{people['joined']}人，"
                f"离岗{people['left']}人。全年开展保密教育培训{people['training_sessions']}人次，"
                f"累计{people['training_hours']}学时，参训{people['trained_people']}人。")
    rows = [[CATEGORY_WORDS[Category(int(c))], str(n)] for c, n in people["by_category"].items()]
    add_table(document, ["类别", "人数"], [*rows, ["合计", str(people["in_post"])]])


def _carriers(document: Any, carriers: dict[str, Any], max_level: int) -> None:
    registered = sum(carriers["registered"].values())
    add_section(document, "四、涉密载体管理",
                f"本年度登记涉密载体{registered}件；借阅{carriers['loans']}次，"
                f"外发、携带外出{carriers['movements']}次；销毁{carriers['destroyed']}件"
                f"（{carriers['destruction_batches']}批）。台帐在册载体按密级和状态如下：")
    rows = []
    for level in _levels(max_level):
        states = carriers["by_level_state"].get(str(int(level)), {})
        counts = [states.get(str(state), 0) for state in STATES_SHOWN]
        rows.append([LEVEL_WORDS[level], *map(str, counts), str(sum(counts)),
                     str(carriers["registered"].get(str(int(level)), 0))])
    add_table(document, ["密级", *_state_words(), "在册合计", "本年登记"], rows)


def _devices(document: Any, devices: dict[str, Any], max_level: int) -> None:
    add_section(document, "五、涉密设备管理",
                f"本年度开展设备保密检查{devices['checks']}台次，发现问题{devices['findings']}项；"
                f"维修{devices['maintenances']}台次，报废（交销毁）{devices['retired']}台（件）。"
                "在用设备和存储介质按密级如下：")
    levels = _levels(max_level)
    rows = []
    for family, words in FAMILY_WORDS.items():
        counts = devices["by_family_level"].get(str(family), {})
        rows.append([words, *(str(counts.get(str(int(level)), 0)) for level in levels)])
    rows.append(["涉密存储介质",
                 *(str(devices["media_by_level"].get(str(int(level)), 0)) for level in levels)])
    add_table(document, ["类别", *(LEVEL_WORDS[level] for level in levels)], rows)


def _incidents(document: Any, incidents: dict[str, Any]) -> None:
    total = incidents["leaks"] + incidents["suspected"]
    text = ("本年度未发生泄密事件。" if total == 0 else
            f"本年度发生泄密事件{incidents['leaks']}起、涉嫌泄密事件{incidents['suspected']}起，"
            f"已按“四不放过”原则查处完毕{incidents['closed']}起。")
    add_section(document, "八、泄密事件查处", text)


def _obligations(document: Any, obligations: dict[str, Any], as_of: str) -> None:
    add_section(document, "十一、保密工作事项提醒",
                f"本年度系统提示保密工作事项{obligations['raised']}项；截至{as_of}，"
                f"尚未办结{obligations['open']}项，其中逾期{obligations['overdue']}项。")


def _committee(document: Any, committee: dict[str, Any]) -> None:
    if not committee["committee"]:
        add_section(document, "二、保密组织", "本单位尚未在系统中登记保密委员会（保密工作领导小组）。")
        return
    met = "达到" if committee["meets_requirement"] else "未达到"
    rate = committee["attendance_rate"]
    attendance = f"，平均出席率{float(rate):.0%}" if rate is not None else ""
    add_section(document, "二、保密组织",
                f"本单位设立{committee['committee']}，现有成员{committee['members']}人；本年度召开会议"
                f"{committee['meetings_held']}次（规定每年不少于{committee['meetings_required']}次），"
                f"{met}要求{attendance}。")


def _places(document: Any, places: dict[str, Any], max_level: int) -> None:
    held = {int(level): n for level, n in places["meetings_held"].items()}
    shown = "、".join(f"{LEVEL_WORDS[Level(level)]}级{n}次" for level, n in sorted(held.items())
                     if level <= max_level)
    key = places["key_places"]
    add_section(document, "六、要害部门部位和涉密会议",
                f"在用要害部门{key['departments']}个、要害部位{key['parts']}个。本年度召开涉密会议"
                f"{sum(n for level, n in held.items() if level <= max_level)}次（{shown}），"
                f"会议发放文件{places['documents_issued']}份，尚未收回"
                f"{places['documents_not_returned']}份。")


INSPECTION_KIND_WORDS = {"self": "自查自评", "department": "部门检查", "superior": "上级检查",
                         "bureau": "保密行政管理部门检查"}


def _inspections(document: Any, inspections: dict[str, Any]) -> None:
    kinds = "、".join(f"{INSPECTION_KIND_WORDS[kind]}{n['completed']}次"
                      for kind, n in inspections["by_kind"].items() if n["completed"])
    states = inspections["rectifications_by_state"]
    findings = inspections["device_check_findings"]
    self_done = "已完成" if inspections["self_assessment_completed"] else "尚未完成"
    add_section(document, "七、保密检查与整改",
                f"本年度完成检查{kinds or '0次'}，年度自查自评{self_done}。检查发现问题"
                f"{inspections['problems']}个，列入整改{inspections['rectifications']}项：已整改并复查通过"
                f"{states.get('verified', 0)}项、已整改待复查{states.get('done', 0)}项、未整改"
                f"{states.get('open', 0)}项（其中逾期{inspections['overdue']}项）。设备保密检查发现问题"
                f"{sum(n for state, n in findings.items() if state != 'overdue')}项，逾期未整改"
                f"{findings['overdue']}项。")


def _outside(document: Any, figures: dict[str, Any]) -> None:
    qualification, firms = figures["qualification"], figures["firms"]
    publications = figures["publications"]
    valid = "；".join(f"{q['type_label']}{q['grade_label']}（证书编号{q['certificate_number']}，有效期至"
                     f"{q['expires_on']}）" for q in qualification["valid"]) or "无"
    apps, changes = qualification["applications"], qualification["changes"]
    add_section(document, "九、资质、外协和信息发布审查",
                f"有效资质（备案）：{valid}。本年度提出申请{apps['filed']}项，通过{apps['passed']}项、"
                f"未通过{apps['failed']}项；发生重大事项变更{changes['recorded']}项，已报告"
                f"{changes['reported']}项（逾期{changes['reported_late']}项），未报告"
                f"{changes['unreported']}项。登记外协（中介）单位{firms['firms']}家，其中具备承担涉密业务"
                f"条件的{firms['qualified']}家、列入名录的外协单位{firms['on_directory']}家；本年度签订"
                f"合同{firms['contracts_signed']}份，取消资格{firms['struck_off']}家。信息发布保密审查"
                f"{publications['reviewed']}件，批准{publications['approved']}件、退回"
                f"{publications['rejected']}次，已发布{publications['published']}件。")


def _assessment(document: Any, assessment: dict[str, Any]) -> None:
    if not assessment["completed"]:
        add_section(document, "十、自查自评得分", "本年度尚未完成评分考核。")
        return
    verdict = ("合格" if assessment["passed"] else
               "不合格（有终止项不符合）" if assessment["vetoed"] else "不合格")
    add_section(document, "十、自查自评得分",
                f"本年度按《{assessment['standard']}》评分，得分{assessment['score']}分，{verdict}。")


def build_annual_report_docx(figures: dict[str, Any]) -> bytes:
    """The report of one unit and year from its stored figures."""
    max_level = int(figures["max_level"])
    document = new_document(f"{figures['unit']}{figures['year']}年度保密自查报告")
    scope = ("" if max_level >= Level.TOP_SECRET else
             f"（本报告的统计仅含{LEVEL_WORDS[Level(max_level)]}级及以下事项。）")
    add_section(document, "一、基本情况",
                f"根据保密管理规定，本单位对{figures['year']}年度保密工作进行了全面自查，"
                f"数据截至{figures['as_of']}。{scope}")
    _committee(document, figures["committee"])
    _people(document, figures["people"])
    _carriers(document, figures["carriers"], max_level)
    _devices(document, figures["devices"], max_level)
    _places(document, figures["places"], max_level)
    _inspections(document, figures["inspections"])
    _incidents(document, figures["incidents"])
    _outside(document, figures)
    _assessment(document, figures["assessment"])
    _obligations(document, figures["obligations"], figures["as_of"])
    add_section(document, "十二、存在的问题和整改措施")
    for _ in range(HAND_WRITTEN_LINES):
        document.add_paragraph("")
    add_section(document, "十三、下一年度保密工作计划")
    for _ in range(HAND_WRITTEN_LINES):
        document.add_paragraph("")
    add_signature(document, "保密委员会主任（签字）")
    add_signature(document, "单位（盖章）")
    return to_bytes(document)
