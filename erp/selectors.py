"""Reads for the back office: the connector's state, runs and their bad rows, and
orders the ERP did not take."""

from django.db.models import QuerySet

from dealers.models import SalesOrg
from erp import conf
from erp.models import SyncError, SyncRun, SyncState
from orders.models import Order

# What a person calls each K/3 form (in the order the pull reads them).
FORM_LABELS = {
    "ORG_Organizations": ("销售组织", "Sales organisations"),
    "BD_MATERIALGROUP": ("物料分组", "Material groups"),
    "BD_UNIT": ("计量单位", "Units"),
    "BD_MATERIAL": ("物料", "Materials"),
    "BD_MATERIALUNITCONVERT": ("单位换算", "Unit conversions"),
    "BD_Customer": ("客户", "Customers"),
    "BD_STOCK": ("仓库", "Warehouses"),
    "BD_SAL_PriceList": ("销售价目表", "Price lists"),
    "STK_Inventory": ("即时库存", "Inventory"),
    "SAL_OUTSTOCK": ("销售出库单", "Outbound deliveries"),
    "AR_receivable": ("应收单", "Receivables"),
    "AR_RECEIVEBILL": ("收款单", "Receipts"),
}


def connector_state() -> dict:
    """Whether the connector is on, how it logs in, and each form's watermark."""
    config = conf.config()
    return {
        "on": config is not None,
        "url": config.url if config else "",
        "mode": ("signature" if config.signed else "session") if config else "",
        "missing": conf.missing(config) if config else [],
        "watermarks": dict(SyncState.objects.values_list("form", "watermark")),
    }


def sync_run_list(*, limit: int = 20) -> list[SyncRun]:
    return list(SyncRun.objects.all()[:limit])


def sync_run_get(*, pk: int) -> SyncRun | None:
    return SyncRun.objects.filter(pk=pk).first()


def sync_error_list(*, run: SyncRun, limit: int = 200) -> QuerySet[SyncError]:
    return SyncError.objects.filter(run=run)[:limit]


def order_push_failures(*, org: SalesOrg, limit: int = 50) -> QuerySet[Order]:
    """Orders of the org's dealers that the ERP has not taken (newest first)."""
    return (
        Order.objects.filter(
            erp_status=Order.ErpStatus.FAILED,
            dealer__sales_org__path__startswith=org.path,
        )
        .select_related("dealer")
        .order_by("-placed_at")[:limit]
    )
