"""Pages and printed forms of maintenance (rule D7) and retirement (rule D8): asked from the
device's or medium's panel, the steps on the detail page, refusals on the form with their
status (never a 500), lists by state, the .docx forms with the right cells, and a retired
device's page without its edit forms."""

import pytest
from django.urls import reverse

from baomi.core.labels import Level
from baomi.devices import services
from baomi.devices.choices import DeviceState, MaintenanceMode, MaintenanceState, RetirementState
from baomi.devices.models import Device, Maintenance, Retirement

from . import lifecycle_support as lc
from .lifecycle_support import approve, approved_repair, approved_retirement, deciders_for, today
from .support import docx_text

people, yf1, other_unit, register_device, register_medium, designated = (
    lc.people, lc.yf1, lc.other_unit, lc.register_device, lc.register_medium, lc.designated)


def html_of(response):
    return response.content.decode()


# --- asking from the panel ------------------------------------------------------------------


@pytest.mark.rule("D7")
def test_ask_for_a_repair_from_the_device_page(client, people, register_device):
    device = register_device(level=Level.CONFIDENTIAL)
    client.force_login(people["top"])
    page = html_of(client.get(reverse("devices:device_detail", args=[device.pk])))
    assert 'id="lifecycle-panel"' in page and 'id="maintenance-new-link"' in page
    url = reverse("devices:maintenance_new", args=[device.pk])
    response = client.post(url, {"mode": "on_site", "fault": "不开机", "repairer": "厂商工程师",
                                 "supervisor": people["secret"].person_id})
    assert response.status_code == 422 and "has-error" in html_of(response)  # 秘密 < 机密
    assert not Maintenance.objects.exists()
    response = client.post(url, {"mode": "on_site", "fault": "不开机", "repairer": "厂商工程师"})
    assert response.status_code == 422  # rule D7: nobody supervises
    response = client.post(url, {"mode": "on_site", "fault": "不开机", "repairer": "厂商工程师",
                                 "supervisor": people["confidential"].person_id})
    maintenance = Maintenance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("devices:maintenance_detail", args=[maintenance.pk])
    page = html_of(client.get(reverse("devices:device_detail", args=[device.pk])))
    assert f'data-id="{maintenance.pk}"' in page
    assert 'id="maintenance-new-link"' not in page  # one open at a time


def test_who_gets_the_panel_links(client, people, register_device):
    device = register_device()
    services.add_device_user(people["office"], device, people["confidential"].person)
    client.force_login(people["confidential"])  # a user: sees the device, does not ask
    page = html_of(client.get(reverse("devices:device_detail", args=[device.pk])))
    assert 'id="lifecycle-panel"' in page and 'id="maintenance-new-link"' not in page
    assert client.get(reverse("devices:maintenance_new", args=[device.pk])).status_code == 404
    client.force_login(people["secret"])  # does not see it at all
    assert client.get(reverse("devices:maintenance_new", args=[device.pk])).status_code == 404
    assert client.get(reverse("devices:device_retirement_new",
                              args=[device.pk])).status_code == 404


@pytest.mark.rule("D8")
def test_propose_a_medium_from_its_page(client, people, register_medium):
    medium = register_medium()
    client.force_login(people["office"])
    page = html_of(client.get(reverse("devices:medium_detail", args=[medium.pk])))
    assert 'id="retirement-new-link"' in page and 'id="maintenance-new-link"' not in page
    url = reverse("devices:medium_retirement_new", args=[medium.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "无法读写"})
    retirement = Retirement.objects.get()
    assert retirement.medium_id == medium.pk and response.status_code == 302


# --- the steps on the detail pages ------------------------------------------------------------


@pytest.mark.rule("D7")
def test_the_steps_of_a_device_sent_out(client, people, register_device):
    device = register_device()
    maintenance = approved_repair(people, device, MaintenanceMode.SENT_OUT)
    url = reverse("devices:maintenance_detail", args=[maintenance.pk])
    client.force_login(people["top"])  # the requester: no steps to record
    page = html_of(client.get(url))
    assert 'id="maintenance-action-form"' not in page and 'id="maintenance-withdraw"' in page
    assert client.post(url, {"action": "send_out", "left_on": today()}).status_code == 404
    client.force_login(people["office"])
    page = html_of(client.get(url))
    assert 'id="maintenance-disk_removed"' in page and 'id="maintenance-docx"' in page
    response = client.post(url, {"action": "disk_removed", "removed_on": today(), "kept_at": ""})
    assert response.status_code == 400
    response = client.post(url, {"action": "disk_removed", "removed_on": today(),
                                 "kept_at": "保密办 密码文件柜"})
    assert response.status_code == 302
    assert 'id="maintenance-send_out"' in html_of(client.get(url))
    assert client.post(url, {"action": "send_out", "left_on": today()}).status_code == 302
    assert Device.objects.get(pk=device.pk).state == DeviceState.AWAY
    response = client.post(url, {"action": "repaired", "done_on": today(), "result": "换主板"})
    assert response.status_code == 400 and "has-error" in html_of(response)  # back_on
    response = client.post(url, {"action": "repaired", "done_on": today(), "result": "换主板",
                                 "back_on": today()})
    assert response.status_code == 302
    assert Maintenance.objects.get(pk=maintenance.pk).state == MaintenanceState.DONE
    assert Device.objects.get(pk=device.pk).state == DeviceState.IN_USE


def test_withdraw_on_the_page(client, people, register_device):
    maintenance = lc.ask_repair(people, register_device())
    client.force_login(people["top"])
    url = reverse("devices:maintenance_detail", args=[maintenance.pk])
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    assert Maintenance.objects.get(pk=maintenance.pk).state == MaintenanceState.WITHDRAWN
    assert client.post(url, {"action": "withdraw"}).status_code == 404


@pytest.mark.rule("D8")
def test_the_steps_of_a_retirement(client, people, register_device):
    device = register_device()
    retirement = approved_retirement(people, device=device)
    url = reverse("devices:retirement_detail", args=[retirement.pk])
    client.force_login(people["office"])
    page = html_of(client.get(url))
    assert 'id="retirement-clearing"' in page and 'id="retirement-destruction"' not in page
    # The destruction before the clearing is no action of the page …
    assert client.post(url, {"action": "destruction"}).status_code == 404
    response = client.post(url, {"action": "clearing", "cleared_on": today(),
                                 "method": "degauss", "cleared_by": "保密办 钱干事"})
    assert response.status_code == 302
    page = html_of(client.get(url))
    assert 'id="retirement-destruction"' in page
    response = client.post(url, {"action": "destruction", "destruction_body": "销毁中心",
                                 "handed_over_on": today(), "certificate_no": ""})
    assert response.status_code == 400
    response = client.post(url, {"action": "destruction", "destruction_body": "销毁中心",
                                 "handed_over_on": today(), "certificate_no": "XH-001"})
    assert response.status_code == 302
    assert Retirement.objects.get(pk=retirement.pk).state == RetirementState.DESTROYED
    page = html_of(client.get(url))
    assert 'data-field="certificate"' in page and "XH-001" in page


@pytest.mark.rule("D8")
def test_a_refused_destruction_shows_on_the_form(client, people, register_device, designated):
    device = register_device()
    retirement = approved_retirement(people, device=device)
    services.record_clearing(people["office"], retirement, cleared_on=today(), method="shred",
                             cleared_by="保密办")
    designated(device.unit, "指定销毁中心")
    client.force_login(people["office"])
    url = reverse("devices:retirement_detail", args=[retirement.pk])
    assert "指定销毁中心" in html_of(client.get(url))  # offered on the form
    response = client.post(url, {"action": "destruction", "destruction_body": "废品站",
                                 "handed_over_on": today(), "certificate_no": "XH-1"})
    assert response.status_code == 422 and "has-error" in html_of(response)
    assert Retirement.objects.get(pk=retirement.pk).state == RetirementState.CLEARED


@pytest.mark.rule("D8")
def test_a_retired_device_page_has_no_edit_forms(client, people, register_device,
                                                 register_medium):
    device = register_device()
    medium = register_medium()
    client.force_login(people["office"])
    page = html_of(client.get(reverse("devices:device_detail", args=[device.pk])))
    assert 'id="action-update"' in page and 'id="action-bind"' in page
    approved_retirement(people, device=device)
    approved_retirement(people, medium=medium)
    page = html_of(client.get(reverse("devices:device_detail", args=[device.pk])))
    assert 'data-state="retired"' in page
    for form in ("action-update", "action-add_user", "action-level", "action-bind",
                 "action-password", "maintenance-new-link", "retirement-new-link"):
        assert f'id="{form}"' not in page, form
    response = client.post(reverse("devices:device_detail", args=[device.pk]), {
        "action": "update", "update-location": "库房",
        "update-responsible": people["top"].person_id, "update-state": "in_use"})
    assert response.status_code == 422  # rule D8: locked, said above the form shown again
    assert 'id="action-update"' in html_of(response) and 'role="alert"' in html_of(response)
    page = html_of(client.get(reverse("devices:medium_detail", args=[medium.pk])))
    assert 'data-state="retired"' in page and 'id="action-update"' not in page


# --- lists and access --------------------------------------------------------------------------


def test_lists_by_state(client, people, register_device, register_medium):
    pending = lc.ask_repair(people, register_device())
    done = approved_repair(people, register_device())
    retirement = approved_retirement(people, medium=register_medium())
    client.force_login(people["office"])
    page = html_of(client.get(reverse("devices:maintenance_list")))
    assert f'data-id="{pending.pk}"' in page and f'data-id="{done.pk}"' in page
    page = html_of(client.get(reverse("devices:maintenance_list") + "?state=requested"))
    assert f'data-id="{pending.pk}"' in page and f'data-id="{done.pk}"' not in page
    page = html_of(client.get(reverse("devices:retirement_list") + "?state=approved"))
    assert f'data-id="{retirement.pk}"' in page
    page = html_of(client.get(reverse("devices:retirement_list") + "?subject=device"))
    assert f'data-id="{retirement.pk}"' not in page
    assert client.get(reverse("devices:maintenance_list") + "?state=%00x").status_code == 200


@pytest.mark.rule("L5")
def test_those_who_do_not_see_the_device_see_nothing(client, people, register_device):
    device = register_device(level=Level.TOP_SECRET)
    maintenance = lc.ask_repair(people, device, supervisor=people["top"].person)
    retirement_device = register_device(level=Level.TOP_SECRET)
    retirement = services.request_retirement(people["top"], device=retirement_device,
                                             reason="老化")
    for who in ("confidential", "office2", "office_important"):
        client.force_login(people[who])
        for name, pk in (("maintenance_detail", maintenance.pk),
                         ("maintenance_docx", maintenance.pk),
                         ("retirement_detail", retirement.pk),
                         ("retirement_docx", retirement.pk)):
            assert client.get(reverse(f"devices:{name}", args=[pk])).status_code == 404, who
        assert f'data-id="{maintenance.pk}"' not in html_of(
            client.get(reverse("devices:maintenance_list")))


def test_the_approval_request_links_the_maintenance(client, people, register_device):
    maintenance = lc.ask_repair(people, register_device())
    client.force_login(people["head"])
    page = html_of(client.get(reverse("approvals:request_detail",
                                      args=[maintenance.request_id])))
    assert reverse("devices:maintenance_detail", args=[maintenance.pk]) in page


# --- printed forms -----------------------------------------------------------------------------


@pytest.mark.rule("D7")
def test_the_printed_form_of_a_device_sent_out(client, people, register_device):
    device = register_device(number="HX-JSJ-777", disk_serial="WD-777")
    maintenance = approved_repair(people, device, MaintenanceMode.SENT_OUT,
                                  repairer="联想定点维修中心")
    services.record_disk_removed(people["office"], maintenance, removed_on=today(),
                                 kept_at="保密办 密码文件柜 A-03")
    services.send_out(people["office"], maintenance, left_on=today())
    client.force_login(people["office"])
    response = client.get(reverse("devices:maintenance_docx", args=[maintenance.pk]))
    assert response.status_code == 200
    text = docx_text(response.content)
    day = f"{today().year}年{today().month}月{today().day}日"
    for cell in ("涉密设备送外维修登记表", "HX-JSJ-777", "WD-777", "机密", "送外维修",
                 "联想定点维修中心", "无法开机", "保密办 密码文件柜 A-03", "刘保密", "送修中",
                 "使用部门负责人意见", "保密办意见", "单位领导意见", "张部长", "陈领导",
                 "硬盘拆除日期", day, "保密办经办人签字"):
        assert cell in text, cell


@pytest.mark.rule("D7")
def test_the_printed_form_of_a_repair_on_site(client, people, register_device):
    maintenance = approved_repair(people, register_device(level=Level.SECRET),
                                  MaintenanceMode.ON_SITE)
    client.force_login(people["office"])
    text = docx_text(client.get(reverse("devices:maintenance_docx",
                                        args=[maintenance.pk])).content)
    for cell in ("涉密设备维修审批表", "上门现场维修", "何机密", "监修人签字", "已批准"):
        assert cell in text, cell
    assert "硬盘拆除日期" not in text and "单位领导意见" not in text


@pytest.mark.rule("D8")
def test_the_printed_retirement_form(client, people, register_medium):
    medium = register_medium(number="HX-U-900", capacity="64GB")
    retirement = approved_retirement(people, medium=medium)
    services.record_clearing(people["office"], retirement, cleared_on=today(),
                             method="shred", cleared_by="保密办 钱干事")
    services.record_destruction(people["office"], retirement, destruction_body="省销毁中心",
                                handed_over_on=today(), certificate_no="XHZM-2026-0117")
    client.force_login(people["office"])
    text = docx_text(client.get(reverse("devices:retirement_docx",
                                        args=[retirement.pk])).content)
    for cell in ("涉密设备（介质）报废审批表", "涉密存储介质", "HX-U-900", "64GB", "机密", "老化",
                 "物理粉碎", "保密办 钱干事", "省销毁中心", "XHZM-2026-0117", "已交销毁",
                 "单位领导意见", "严禁出售", "信息清除人签字"):
        assert cell in text, cell


def test_a_retirement_approved_is_linked_from_the_request(client, people, register_device):
    retirement = services.request_retirement(people["top"], device=register_device(),
                                             reason="老化")
    approve(retirement.request, *deciders_for(people, retirement.request))
    client.force_login(people["office"])
    page = html_of(client.get(reverse("approvals:request_detail",
                                      args=[retirement.request_id])))
    assert reverse("devices:retirement_detail", args=[retirement.pk]) in page
