"""The connector's configuration, from settings.K3CLOUD (read from K3CLOUD_* variables)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

PUSH_MAX_ATTEMPTS = 8
PUSH_BACKOFF = dt.timedelta(minutes=1)  # doubles after each failure, at most an hour


def push_retry_at(attempts: int) -> dt.datetime | None:
    """When a push that failed ``attempts`` times is tried again; None after the
    last attempt (the rep decides: an admin action pushes again)."""
    if attempts >= PUSH_MAX_ATTEMPTS:
        return None
    return timezone.now() + min(
        PUSH_BACKOFF * 2 ** (attempts - 1), dt.timedelta(hours=1)
    )


@dataclass(frozen=True)
class K3Config:
    url: str
    acct_id: str
    username: str
    app_id: str = ""
    app_secret: str = ""
    password: str = ""
    lcid: int = 2052
    sale_org: str = ""
    timeout: float = 30.0
    page_size: int = 2000
    order_approval: str = "audit"
    order_bill_type: str = "XSDD01_SYS"
    currency: str = "PRE001"
    default_tier: str = "standard"
    default_region: str = "default"
    overlap_minutes: int = 10

    @property
    def signed(self) -> bool:
        """App signature when app id and secret are both set, else session login."""
        return bool(self.app_id and self.app_secret)


SYSTEM = "k3cloud"


def config() -> K3Config | None:
    """The connector's configuration, or None when it is off (no K3CLOUD_URL)."""
    raw = settings.K3CLOUD
    if not raw.get("URL"):
        return None
    url = raw["URL"] if raw["URL"].endswith("/") else raw["URL"] + "/"
    return K3Config(
        url=url,
        acct_id=raw["ACCT_ID"],
        username=raw["USERNAME"],
        app_id=raw["APP_ID"],
        app_secret=raw["APP_SECRET"],
        password=raw["PASSWORD"],
        lcid=raw["LCID"],
        sale_org=raw["SALE_ORG"],
        timeout=raw["TIMEOUT"],
        page_size=min(raw["PAGE_SIZE"], 10000),
        order_approval=raw["ORDER_APPROVAL"],
        order_bill_type=raw["ORDER_BILL_TYPE"],
        currency=raw["CURRENCY"],
        default_tier=raw["DEFAULT_TIER"],
        default_region=raw["DEFAULT_REGION"],
        overlap_minutes=raw["OVERLAP_MINUTES"],
    )


def missing(cfg: K3Config) -> list[str]:
    """The variables a configured connector still lacks."""
    needed = {
        "K3CLOUD_ACCT_ID": cfg.acct_id,
        "K3CLOUD_USERNAME": cfg.username,
        "K3CLOUD_SALE_ORG": cfg.sale_org,
    }
    if not cfg.signed:
        needed["K3CLOUD_PASSWORD (or K3CLOUD_APP_ID + K3CLOUD_APP_SECRET)"] = (
            cfg.password
        )
    return [name for name, value in needed.items() if not value]
