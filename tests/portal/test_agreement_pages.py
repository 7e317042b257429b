"""My agreement: the dealer's own agreement with progress and rebate, in both languages."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from contracts import services
from contracts.models import AgreementVersion
from tests.contracts.test_orders_contract import place, ship
from tests.dealers.factories import DealerFactory, DealerUserFactory


@pytest.fixture
def d1_client(client, signed, world):
    user = DealerUserFactory(dealer=world["dealer"], user__username="d1owner").user
    client.force_login(user)
    return client


def test_my_agreement_shows_targets_progress_and_the_next_tier(d1_client, signed):
    """After 8,800 shipped of 10,000: 88 %, the 1 % tier reached, 1,200.00 to the
    2 % tier (about 11 cases at the average 110.00)."""
    number = place(signed, quantity=80, key="a")["number"]
    ship(signed, number, 80, "E1")
    page = d1_client.get(reverse("portal:agreement"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "A-D1" in text
    assert "¥8,800.00" in text
    assert "¥10,000.00" in text
    assert "¥1,200.00 more shipped (" in text
    assert "about 11 cases" in text
    assert "¥88.00" in text  # accrued at 1 %


def test_my_agreement_in_chinese(d1_client, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    text = d1_client.get(reverse("portal:agreement")).content.decode()
    assert "我的协议" in text
    assert "My agreement" not in text


def test_home_fragment_is_lazy_and_names_the_nearest_tier(d1_client, signed):
    home = d1_client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:agreement-nearest") in home
    fragment = d1_client.get(
        reverse("portal:agreement-nearest"),
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert fragment.status_code == 200
    assert 'id="agreement-nearest"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_without_an_agreement_the_page_says_what_it_is_for(client, world):
    user = DealerUserFactory(dealer=DealerFactory(), user__username="other").user
    client.force_login(user)
    page = client.get(reverse("portal:agreement"), HTTP_ACCEPT_LANGUAGE="en")
    assert "You have no agreement yet" in page.content.decode()
    fragment = client.get(reverse("portal:agreement-nearest"), HTTP_HX_REQUEST="true")
    assert "hidden" in fragment.content.decode()
    assert client.get(reverse("portal:agreement-document")).status_code == 404


def test_the_document_is_served_to_its_dealer_only(
    d1_client, client, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = ContentFile(b"%PDF-1.4 signed", name="signed.pdf")
    services.agreement_document_attach(code="A-D1", upload=upload)
    assert AgreementVersion.objects.get().document
    response = d1_client.get(reverse("portal:agreement-document"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    other = DealerUserFactory(dealer=DealerFactory(), user__username="nosy").user
    client.force_login(other)
    assert client.get(reverse("portal:agreement-document")).status_code == 404


def test_a_document_that_is_not_a_pdf_is_refused(signed):
    from common.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.agreement_document_attach(
            code="A-D1", upload=ContentFile(b"hello", name="x.pdf")
        )


def test_the_cart_and_checkout_show_contract_issues(d1_client, world):
    """A juice in the cart is outside the tea-only agreement: cart and checkout say
    so next to the total, and placing is refused with the reason."""
    from orders import services as order_services
    from orders.models import Order

    order_services.cart_add(
        dealer_user=world["dealer"].users.get(user__username="d1owner"),
        sku="JUICE-01",
        quantity=1,
    )
    for name in ("portal:cart", "portal:checkout"):
        page = d1_client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'data-testid="contract-issues"' in page
        assert "Not in your agreement&#x27;s product lines: JUICE-01." in page
    d1_client.post(reverse("portal:checkout-place"), {"idempotency_key": "k-1"})
    assert not Order.objects.exists()
