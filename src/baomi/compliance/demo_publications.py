"""Demo 保密审查 of publications in 华信电子科技研究院 (rule Q12), through the services and the
approvals engine: 周敏 (yuangong) of 研发一部 writes, her head 张伟 (bumen) and the 保密办
刘晓燕 (baomiban) review, the leader 陈建华 (lingdao) as well for an exhibition.

- a news item for the unit portal, approved and published;
- a conference paper, approved, awaiting publication;
- the text of an exhibition panel rejected by the 保密办 (it named a 秘密 project code), then
  revised and submitted again: pending;
- a web post for the WeChat account, still a draft.

Idempotent: nothing is written when the author already has a review.
"""

from django.utils import timezone

from baomi.approvals.choices import Decision
from baomi.approvals.models import Request
from baomi.approvals.services import decide
from baomi.core.demo import DemoContext

from . import services_publications as services
from .choices import PublicationKind
from .models import PublicationReview

NEWS = ("我院举办2026年度保密知识竞赛",
        "11月20日，我院在学术报告厅举办2026年度保密知识竞赛，全院8个部门的24名选手参赛。"
        "竞赛围绕《中华人民共和国保守国家秘密法》及其实施条例、涉密载体和涉密设备管理等内容"
        "展开，研发一部代表队获得一等奖。院领导出席并颁奖，强调要把保密教育融入日常工作。")
PAPER = ("基于多源数据融合的电子设备状态监测方法",
         "摘要：针对电子设备运行状态监测中数据来源多、噪声大的问题，提出一种基于多源数据融合的"
         "状态监测方法。实验采用公开数据集验证，结果表明该方法能有效提高故障识别准确率。"
         "本文内容不涉及任何型号任务、研制进度和技术指标。")
EXHIBITION = ("院庆成果展展板文字（第三板）",
              "我院近年来在电子信息领域取得多项成果，其中XH-17项目关键部件的研制进度提前两个月，"
              "主要技术指标达到国内先进水平。")
EXHIBITION_REVISED = ("我院近年来在电子信息领域取得多项成果，多项技术获得省部级科技奖励，"
                      "为行业发展作出了积极贡献。")
REJECTION = ("第三板出现秘密级项目代号XH-17及研制进度、技术指标，属于国家秘密事项，"
             "不得公开展出；请删除项目代号和进度、指标表述后重新报审。")
WEB_POST = ("保密提示：出差途中如何保管工作资料",
            "出差前请到保密办了解相关要求，不得携带涉密载体外出；确需携带的，应当履行审批手续，"
            "并由两人以上共同携带。")


def load(ctx: DemoContext) -> None:
    users = ctx.users
    author = users.get("yuangong")
    if author is None or not all(name in users for name in ("bumen", "baomiban", "lingdao")):
        return
    if PublicationReview.objects.filter(author=author).exists():
        ctx.say("compliance: demo publication reviews already loaded")
        return
    head, office = users["bumen"], users["baomiban"]
    today = timezone.localdate()

    news = services.draft_and_submit(
        author, declaration=True, title=NEWS[0], kind=PublicationKind.NEWS,
        channel="单位门户网站", content=NEWS[1], planned_on=today)
    _approve(news, (head, "内容属实，同意报保密办审查"),
             (office, "经审查不涉及国家秘密和工作秘密，同意发布"))
    services.publish_review(author, PublicationReview.objects.get(pk=news.pk),
                            published_on=today,
                            published_where="http://portal.hxdz.local/news/2026/1120.html")

    paper = services.draft_and_submit(
        author, declaration=True, title=PAPER[0], kind=PublicationKind.PAPER,
        channel="第十二届全国电子测量学术会议", content=PAPER[1])
    _approve(paper, (head, "论文使用公开数据，同意"), (office, "不涉密，同意投稿"))

    exhibition = services.draft_and_submit(
        author, declaration=True, title=EXHIBITION[0], kind=PublicationKind.EXHIBITION,
        channel="院庆成果展（行政楼一层大厅）", content=EXHIBITION[1])
    request = decide(head, Request.objects.get(pk=exhibition.request_id or 0), Decision.APPROVE,
                     comment="请保密办把关")
    decide(office, request, Decision.REJECT, comment=REJECTION)
    exhibition = services.revise_review(
        author, PublicationReview.objects.get(pk=exhibition.pk), title=EXHIBITION[0],
        kind=PublicationKind.EXHIBITION, channel="院庆成果展（行政楼一层大厅）",
        content=EXHIBITION_REVISED)
    services.submit_review(author, exhibition, declaration=True)

    services.create_review(author, title=WEB_POST[0], kind=PublicationKind.WEB_POST,
                           channel="华信电子微信公众号", content=WEB_POST[1])
    ctx.say("compliance: 4 publication reviews (published, approved, rejected and resubmitted, "
            "draft)")


def _approve(review: PublicationReview, *decisions: tuple[object, str]) -> None:
    request = Request.objects.get(pk=review.request_id or 0)
    for decider, comment in decisions:
        request = decide(decider, request, Decision.APPROVE, comment=comment)
