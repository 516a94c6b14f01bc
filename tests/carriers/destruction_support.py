"""Helpers of the destruction tests (no tests here): a list drawn up by the 保密办, carried
through its approval chain (保密办 → 单位领导: `office` files, `office2` checks, `leader`
approves), and the record of a destruction with two people."""

from django.utils import timezone

from baomi.approvals.services import decide
from baomi.carriers import services
from baomi.carriers.models import DestructionBatch
from baomi.carriers.models.destruction import DestructionMethod


def new_batch(people, unit, method=DestructionMethod.BODY):
    return services.create_batch(people["office"], unit=unit, reason="已完成工作，无保存价值",
                                 planned_method=method, planned_place="指定销毁机构")


def listed(people, unit, carriers, method=DestructionMethod.BODY):
    batch = new_batch(people, unit, method)
    for carrier in carriers:
        services.add_to_batch(people["office"], batch, carrier)
    return batch


def submitted(people, unit, carriers):
    batch = listed(people, unit, carriers)
    services.submit_batch(people["office"], batch)
    return DestructionBatch.objects.select_related("request").get(pk=batch.pk)


def approved(people, unit, carriers):
    batch = submitted(people, unit, carriers)
    request = decide(people["office2"], batch.request, "approve", comment="已核对。")
    decide(people["leader"], request, "approve", comment="同意销毁。")
    return DestructionBatch.objects.select_related("request").get(pk=batch.pk)


def record_fields(**overrides):
    fields = {"destroyed_at": timezone.now(),
              "place": "指定销毁机构", "method": DestructionMethod.BODY,
              "executors": ["刘保密", "王保管"], "body": "市保密局指定销毁中心",
              "certificate_no": "XH-2026-0001"}
    fields.update(overrides)
    return fields


def fresh(batch):
    return DestructionBatch.objects.select_related("request").get(pk=batch.pk)
