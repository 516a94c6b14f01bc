"""The approvals request page links to what the request is about: a loan to its carrier, a
movement to its own page; every request type's subject page is a real URL."""

import pytest
from django.urls import reverse

from baomi.approvals.registry import all_request_types
from baomi.carriers import services
from baomi.carriers.models.movement import MovementKind

from . import page_support as support
from .page_support import today

approved_loan, clerk, head, item, keeper, office, reader, register, safe, yf1 = (
    support.approved_loan, support.clerk, support.head, support.item, support.keeper,
    support.office, support.reader, support.register, support.safe, support.yf1)

pytestmark = pytest.mark.django_db


def test_every_subject_page_is_a_url():
    pages = [t.subject_page for t in all_request_types() if t.subject_page]
    assert len(pages) >= 6
    for page in pages:
        assert reverse(page, args=[1])


def test_the_request_page_links_the_loan_carrier_and_the_movement(client, office, reader,
                                                                   head, register, item,
                                                                   approved_loan):
    carrier = register(secret_item=item)
    loan = approved_loan(carrier)
    client.force_login(reader)
    page = client.get(f"/approvals/{loan.request_id}/").content.decode()
    assert f'href="/carriers/{carrier.pk}/" id="subject-link"' in page
    services.return_loan(office, services.hand_out(office, loan))
    movement = services.request_movement(
        reader, carrier, kind=MovementKind.CARRY_OUT, destination="总体部", purpose="评审",
        escorts=[], due_back_on=today())
    page = client.get(f"/approvals/{movement.request_id}/").content.decode()
    assert f'href="/carriers/movements/{movement.pk}/" id="subject-link"' in page
