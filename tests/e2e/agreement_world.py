"""The e2e world's dealer with an agreement: D-AG of EAST-SH, approved for this year,
40 cases shipped (88 % of the year, the 1 % tier), and its owner's login."""

from django.utils import timezone

from contracts import services as contract_services
from dealers.models import DealerUser
from orders import services as order_services
from tests.dealers.factories import DealerFactory, DealerUserFactory
from tests.orders import factories


def build(world: dict) -> dict:
    """Add the agreement dealer to a built ``factories.build_world()``."""
    dealer = DealerFactory(
        code="D-AG",
        name="苏州茶行",
        sales_org=world["dealer"].sales_org,
        tier=world["dealer"].tier,
        region=world["dealer"].region,
    )
    owner = DealerUserFactory(
        dealer=dealer, role=DealerUser.Role.OWNER, user__username="agree1"
    )
    year = timezone.localdate().year
    quarter = (timezone.localdate().month - 1) // 3 + 1
    contract_services.agreement_save(
        code="AG-E2E",
        data={
            "dealer": dealer.code,
            "sales_org": "EAST-SH",
            "starts": f"{year}-01-01",
            "ends": f"{year}-12-31",
            "targets": [
                {"period": f"{year}", "amount": "5000.00"},
                {"period": f"{year}", "category": "TEA-A", "amount": "4000.00"},
                {"period": f"{year}-Q{quarter}", "category": "TEA-C", "quantity": 30},
            ],
            "rebate_tiers": [
                {"achieved_percent": "80", "rebate_percent": "1.0"},
                {"achieved_percent": "100", "rebate_percent": "2.0"},
            ],
        },
    )
    contract_services.agreement_submit(code="AG-E2E")
    contract_services.agreement_approve(code="AG-E2E")
    order = factories.place(owner, [("TEA-A-01", 40)])
    order_services.shipment_post(
        external_id="E2E-AG-1",
        order_number=order.number,
        warehouse="WH-SH",
        lines=[("TEA-A-01", 40, False)],
    )
    return {"agreement_owner": owner.user.username}
