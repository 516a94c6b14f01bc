"""The auditor signs a first checkpoint over everything the demo recorded."""

from baomi.audit.checkpoint import sign_checkpoint
from baomi.audit.models import AuditCheckpoint
from baomi.core.demo import DemoContext


def load(context: DemoContext) -> None:
    if AuditCheckpoint.objects.exists():
        context.say("audit: a checkpoint exists already")
        return
    checkpoint = sign_checkpoint(context.users["shenji"])
    context.say(f"audit: checkpoint signed at event #{checkpoint.seq}")
