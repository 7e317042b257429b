"""Demo agreement: D00001's approved agreement for this year, with targets set so that
what the demo orders shipped reaches the first rebate tier, a tier still ahead, and a
signed PDF: "My agreement" has true progress and an accrued rebate to show."""

from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.core.files.base import ContentFile

from catalog.models import Category
from contracts import services as contract_services
from contracts.models import (
    Agreement,
    AgreementProgress,
    ContractOverride,
    RebateSettlement,
)
from dealers.models import Dealer
from orders import services as order_services
from orders.models import Order
from orders.services.agreements import shipped_rows
from portal.demo import data
from portal.demo.context import SeedContext

CODE = "AG-D00001"
# A one-page PDF (text: "Demo agreement"), enough for the document link.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 72 760 Td (Demo agreement) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _target(achieved: Decimal, share: str, fallback: int) -> str:
    """A target that ``achieved`` is a little over ``share`` of (rounded down to a
    hundred), or ``fallback`` when nothing shipped yet."""
    if achieved <= 0:
        return str(fallback)
    amount = (achieved / Decimal(share) / 100).quantize(Decimal(1), rounding=ROUND_DOWN)
    return str(max(amount, Decimal(1)) * 100)


def seed_agreements(ctx: SeedContext) -> None:
    dealer = (
        Dealer.objects.select_related("sales_org").filter(code=data.DEMO_DEALER).first()
    )
    if dealer is None:
        return
    year = ctx.today.year
    starts, ends = date(year, 1, 1), date(year, 12, 31)
    rows = shipped_rows(dealer_id=dealer.pk, starts=starts, ends=ends)
    tea = Category.objects.filter(code="TEA").first()
    tea_ids = (
        set(
            Category.objects.filter(path__startswith=tea.path).values_list(
                "pk", flat=True
            )
        )
        if tea
        else set()
    )
    achieved = sum((r.amount for r in rows), Decimal("0"))
    tea_achieved = sum(
        (r.amount for r in rows if r.category_id in tea_ids), Decimal("0")
    )
    quarter = (ctx.today.month - 1) // 3 + 1
    targets = [
        {
            "period": f"{year}",
            "category": None,
            "amount": _target(achieved, "0.86", 10_000),
        }
    ]
    if tea:
        targets += [
            {
                "period": f"{year}",
                "category": "TEA",
                "amount": _target(tea_achieved, "0.7", 5_000),
            },
            {
                "period": f"{year}-Q{quarter}",
                "category": "TEA",
                "amount": _target(tea_achieved, "0.9", 3_000),
            },
        ]
    contract_services.agreement_save(
        code=CODE,
        data={
            "dealer": dealer.code,
            "sales_org": dealer.sales_org.code,
            "starts": starts.isoformat(),
            "ends": ends.isoformat(),
            "categories": None,
            "regions": None,
            "enforcement": "block",
            "credit_limit": "1500000.00",
            "payment_terms_days": 60,
            "targets": targets,
            "rebate_tiers": [
                {"achieved_percent": "80", "rebate_percent": "1.0"},
                {"achieved_percent": "100", "rebate_percent": "2.0"},
                {"achieved_percent": "120", "rebate_percent": "3.0"},
            ],
        },
    )
    contract_services.agreement_document_attach(
        code=CODE, upload=ContentFile(PDF, name="agreement.pdf")
    )
    contract_services.agreement_submit(code=CODE)
    contract_services.agreement_approve(code=CODE)
    order_services.agreement_progress_refresh(dealer_id=dealer.pk)
    ctx.count("dealer agreements", 1)


def flush_agreements() -> None:
    Order.objects.update(agreement_version=None)
    ContractOverride.objects.all().delete()
    RebateSettlement.objects.all().delete()
    AgreementProgress.objects.all().delete()
    Agreement.objects.update(live_version=None)
    Agreement.objects.all().delete()
