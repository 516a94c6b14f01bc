import re

import pytest
from django.urls import reverse

from baomi.accounts.roles import Role
from baomi.approvals.choices import RequestState
from baomi.approvals.models import Request, Step
from baomi.approvals.services import decide, submit_request
from baomi.core.labels import Category


def submit(actor, note="need it", level=0):
    return submit_request(actor, "test_note", title=f"T {note}",
                          payload={"note": note, "level": level})


def client_of(client, user):
    client.force_login(user)
    return client


def detail(request):
    return reverse("approvals:request_detail", args=[request.pk])


def decide_url(request):
    return reverse("approvals:request_decide", args=[request.pk])


def current_step_id(request):
    return Step.objects.get(request=request, round=request.round,
                            order=request.current_step).pk


def test_pages_need_a_login(client):
    for name in ("approvals:inbox", "approvals:my_requests", "approvals:request_new"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inbox_lists_what_waits_and_the_badge_counts_it(client, requester, head, approvers):
    request = submit(requester)
    response = client_of(client, head).get(reverse("approvals:inbox"))
    assert response.status_code == 200
    assert f'data-request="{request.pk}"' in response.content.decode()
    assert re.search(r'data-count="approvals:inbox">\s*1\s*<', response.content.decode())


def test_inbox_is_keyset_paged(client, requester, head, approvers):
    requests = [submit(requester, note=str(i)) for i in range(53)]
    first = client_of(client, head).get(reverse("approvals:inbox"))
    page = first.context["page"]
    assert len(page.items) == 50 and page.next_after == requests[3].pk
    second = client.get(reverse("approvals:inbox") + page.next_url)
    assert [r.pk for r in second.context["page"].items] == [r.pk for r in requests[2::-1]]


def test_my_requests(client, requester, head, approvers):
    mine = submit(requester)
    content = client_of(client, requester).get(reverse("approvals:my_requests")).content.decode()
    assert f'data-request="{mine.pk}"' in content
    content = client_of(client, head).get(reverse("approvals:my_requests")).content.decode()
    assert f'data-request="{mine.pk}"' not in content


def test_detail_shows_the_decision_form_to_the_approver_only(client, requester, head, office):
    request = submit(requester)
    page = client_of(client, head).get(detail(request))
    assert page.status_code == 200
    assert page.context["decision_form"] is not None
    assert "Note: need it" in page.content.decode()
    page = client_of(client, office).get(detail(request))
    assert page.context["decision_form"] is None
    page = client_of(client, requester).get(detail(request))
    assert page.context["decision_form"] is None and page.context["withdraw_form"] is not None


def test_invisible_or_unknown_requests_are_404(client, requester, approvers, make_user):
    request = submit(requester)
    stranger = make_user("stranger", roles=[Role.STAFF], category=Category.CORE)
    c = client_of(client, stranger)
    assert c.get(detail(request)).status_code == 404
    assert c.post(decide_url(request), {"decision": "approve", "step_id": 1}).status_code == 404
    assert c.get(f"/approvals/{10**25}/").status_code == 404


def test_approve_through_the_page(client, requester, head, office):
    request = submit(requester)
    response = client_of(client, head).post(decide_url(request), {
        "decision": "approve", "comment": "fine", "step_id": current_step_id(request)})
    assert response.status_code == 302 and response["Location"] == reverse("approvals:inbox")
    request.refresh_from_db()
    assert (request.current_step, request.current_role) == (1, "secrecy_office")
    step = Step.objects.get(request=request, order=0)
    assert step.ip == "127.0.0.1" and step.comment == "fine"


def test_a_refused_decision_is_shown_on_the_form(client, requester, head, approvers):
    request = submit(requester)
    response = client_of(client, head).post(decide_url(request), {
        "decision": "reject", "comment": "", "step_id": current_step_id(request)})
    assert response.status_code == 400
    assert response.context["decision_form"].errors["comment"]
    assert Request.objects.get().state == RequestState.PENDING


def test_a_stale_page_gets_a_conflict_not_the_next_step(client, requester, head, office,
                                                       make_user):
    # office may decide step 2; the page they post from was for step 1 (decided meanwhile)
    make_user("head2", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE)
    request = submit(requester)
    stale_step = current_step_id(request)
    decide(head, request, "approve")
    response = client_of(client, office).post(decide_url(request), {
        "decision": "approve", "step_id": stale_step})
    assert response.status_code == 409
    assert response.context["decision_form"].non_field_errors()
    assert Request.objects.get().state == RequestState.PENDING


def test_own_request_shows_no_form_and_a_post_is_refused(client, unit, make_user, office):
    own_head = make_user("ownhead", roles=[Role.DEPARTMENT_HEAD, Role.STAFF],
                         category=Category.CORE)
    make_user("head2", roles=[Role.DEPARTMENT_HEAD], category=Category.CORE)
    request = submit(own_head)
    c = client_of(client, own_head)
    assert c.get(detail(request)).context["decision_form"] is None
    response = c.post(decide_url(request), {"decision": "approve",
                                            "step_id": current_step_id(request)})
    assert response.status_code == 422
    assert Request.objects.get().current_step == 0


def test_choose_a_type_then_file_it(client, requester, approvers):
    c = client_of(client, requester)
    choice = c.get(reverse("approvals:request_new")).content.decode()
    assert 'data-type="test_note"' in choice and 'data-type="role_grant"' in choice
    assert 'data-type="test_api_only"' not in choice
    url = reverse("approvals:request_new") + "?type=test_note"
    assert c.get(url).status_code == 200
    response = c.post(url, {"payload-note": "a note", "payload-level": "1", "title": ""})
    request = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(request)
    assert request.title == "Note: a note" and request.level == 1


def test_service_errors_land_on_the_form(client, requester, approvers):
    c = client_of(client, requester)
    url = reverse("approvals:request_new") + "?type=test_note"
    response = c.post(url, {"payload-note": "a note", "payload-level": "3", "title": "t"})
    assert response.status_code == 422  # rule L5: above the requester's clearance
    assert response.context["title_form"].errors or response.context["payload_form"].errors
    assert Request.objects.count() == 0
    response = c.post(url, {"payload-note": "", "payload-level": "0"})
    assert response.status_code == 200 and response.context["payload_form"].errors["note"]


def test_an_unknown_type_goes_back_to_the_choice(client, requester):
    c = client_of(client, requester)
    assert "types" in c.get(reverse("approvals:request_new") + "?type=nope").context
    response = c.post(reverse("approvals:request_new") + "?type=test_api_only", {})
    assert response.status_code == 302


def test_return_resubmit_and_withdraw_through_the_pages(client, requester, head, approvers):
    request = decide(head, submit(requester), "return", comment="add the reason")
    c = client_of(client, requester)
    page = c.get(detail(request))
    assert page.context["can_resubmit"]
    resubmit = reverse("approvals:request_resubmit", args=[request.pk])
    form_page = c.get(resubmit)
    assert "add the reason" in form_page.content.decode()
    assert form_page.context["payload_form"].initial["note"] == "need it"
    response = c.post(resubmit, {"payload-note": "with reason", "payload-level": "0",
                                 "title": "Again"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.round, request.title) == ("pending", 2, "Again")
    assert c.get(resubmit).status_code == 404  # only a returned request is revised

    withdraw = reverse("approvals:request_withdraw", args=[request.pk])
    assert c.post(withdraw, {"reason": ""}).status_code == 200  # form error, nothing done
    assert c.post(withdraw, {"reason": "no longer needed"}).status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN


def test_someone_else_cannot_withdraw(client, requester, head, approvers):
    request = submit(requester)
    response = client_of(client, head).post(
        reverse("approvals:request_withdraw", args=[request.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert Request.objects.get().state == RequestState.PENDING


@pytest.mark.parametrize("decision", ["", "maybe"])
def test_a_missing_decision_is_a_form_error(client, requester, head, approvers, decision):
    request = submit(requester)
    response = client_of(client, head).post(decide_url(request), {
        "decision": decision, "step_id": current_step_id(request)})
    assert response.status_code == 400
    assert response.context["decision_form"].errors
