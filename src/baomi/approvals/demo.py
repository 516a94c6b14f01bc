"""Demo role grant requests in every state: approved, awaiting the 保密办, awaiting the leader,
returned for changes."""

from baomi.approvals import services
from baomi.approvals.choices import Decision
from baomi.approvals.models import Request
from baomi.core.demo import DemoContext

# requester, user who would receive the role, role, reason, decisions (decider, decision, comment)
REQUESTS = [
    ("bumen", "yuangong", "classification_officer", "研发一部承担型号项目，需增设定密责任人",
     [("baomiban", Decision.APPROVE, "符合定密责任人条件，同意"),
      ("lingdao", Decision.APPROVE, "同意，书面授权随附")]),
    ("dingmi", "bumen", "classification_officer", "部门负责人兼任定密责任人，便于及时定密", []),
    ("bumen", "dingmi", "secrecy_office", "研发一部设兼职保密员",
     [("baomiban", Decision.APPROVE, "同意，请领导审批")]),
    ("yuangong", "dingmi", "leader", "项目组长需审批本组事项",
     [("baomiban", Decision.RETURN, "单位领导由上级任命，不能通过本申请授予；请改为申请其他角色")]),
]


def load(context: DemoContext) -> None:
    users = context.users
    if Request.objects.filter(requester=users["bumen"]).exists():
        context.say("approvals: demo requests already loaded")
        return
    for requester, subject, role, reason, decisions in REQUESTS:
        request = services.submit_request(
            users[requester], "role_grant",
            title=f"申请授予 {users[subject].person.name} 角色",
            payload={"user_id": users[subject].pk, "role": role, "reason": reason},
        )
        for decider, decision, comment in decisions:
            request = services.decide(users[decider], request, decision, comment=comment)
    context.say(f"approvals: filed {len(REQUESTS)} role grant requests")
