"""Contract evaluation (合同评估): a cart held against an agreement.

Pure Python over frozen dataclasses (standard library only, like the promotion
engine): selectors build the snapshot, services and the quote turn issues into words.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

OUTSIDE_CATEGORIES = "outside_categories"
OUTSIDE_REGIONS = "outside_regions"
NOT_ACTIVE = "not_active"
PRICE_FLOOR = "price_floor"
CREDIT_LIMIT = "credit_limit"


@dataclass(frozen=True, slots=True)
class Terms:
    """What an agreement version allows. ``categories`` / ``regions`` None: all."""

    agreement: str
    version: int
    approved: bool
    terminated: bool
    starts: date
    ends: date
    enforcement: str = "block"
    categories: frozenset[str] | None = None
    regions: frozenset[str] | None = None
    floors: Mapping[str, Decimal] = field(default_factory=dict)
    credit_limit: Decimal | None = None

    @property
    def blocks(self) -> bool:
        return self.enforcement == "block"


@dataclass(frozen=True, slots=True)
class Line:
    sku: str
    category_path: tuple[str, ...]
    unit_price: Decimal
    quantity: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The cart, the dealer's region, the day, and the credit the order would use:
    ``exposure`` is what the dealer already owes or has on order."""

    lines: tuple[Line, ...]
    region: str
    on: date
    total: Decimal = Decimal("0.00")
    exposure: Decimal = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    blocking: bool
    skus: tuple[str, ...] = ()
    detail: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Evaluation:
    agreement: str
    version: int
    issues: tuple[Issue, ...] = ()

    @property
    def blocking(self) -> bool:
        return any(issue.blocking for issue in self.issues)


def evaluate(terms: Terms, snapshot: Snapshot) -> Evaluation:
    """Every way ``snapshot`` breaks ``terms``, in a fixed order; no issue when it fits.

    An agreement that is not approved, terminated, or whose dates do not cover the day
    is ``not_active`` and the rest is not checked (there are no terms to check against).
    """
    blocking = terms.blocks
    if (
        not terms.approved
        or terms.terminated
        or not terms.starts <= snapshot.on <= terms.ends
    ):
        detail = {"starts": terms.starts.isoformat(), "ends": terms.ends.isoformat()}
        state = "terminated" if terms.terminated else "approved"
        if not terms.approved:
            state = "not_approved"
        elif not terms.terminated and snapshot.on > terms.ends:
            state = "expired"
        elif not terms.terminated and snapshot.on < terms.starts:
            state = "not_started"
        detail["state"] = state
        issue = Issue(NOT_ACTIVE, blocking, detail=detail)
        return Evaluation(terms.agreement, terms.version, (issue,))
    issues = []
    if terms.categories is not None:
        outside = tuple(
            line.sku
            for line in snapshot.lines
            if not terms.categories.intersection(line.category_path)
        )
        if outside:
            issues.append(Issue(OUTSIDE_CATEGORIES, blocking, skus=outside))
    if terms.regions is not None and snapshot.region not in terms.regions:
        issues.append(
            Issue(OUTSIDE_REGIONS, blocking, detail={"region": snapshot.region})
        )
    below = tuple(
        line.sku
        for line in snapshot.lines
        if line.sku in terms.floors and line.unit_price < terms.floors[line.sku]
    )
    if below:
        issues.append(Issue(PRICE_FLOOR, blocking, skus=below))
    if terms.credit_limit is not None:
        available = terms.credit_limit - snapshot.exposure
        if snapshot.total > available:
            detail = {
                "limit": f"{terms.credit_limit:.2f}",
                "available": f"{max(available, Decimal('0')):.2f}",
            }
            issues.append(Issue(CREDIT_LIMIT, blocking, detail=detail))
    return Evaluation(terms.agreement, terms.version, tuple(issues))
