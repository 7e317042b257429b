"""Who a promotion is for: checking a dealer against a rule's audience."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .money import money_str
from .rules import Audience, HistoryKey, Rule
from .types import Candidate, DealerContext, HistoryTotal

_NOTHING = HistoryTotal()


@dataclass(frozen=True, slots=True)
class AudienceFailure:
    """One audience criterion the dealer does not meet, with the facts behind it."""

    criterion: str  # sales_org | dealer | tier | region | tenure | history | agreement
    detail: dict[str, Any]


def tenure_years(since: date, on: date) -> int:
    """Count whole years from ``since`` to ``on`` (complete on the anniversary)."""
    before_anniversary = (on.month, on.day) < (since.month, since.day)
    return on.year - since.year - before_anniversary


def covers_org(audience: Audience, dealer: DealerContext) -> bool:
    """Tell whether the dealer's org is one of the audience orgs or below one."""
    if not audience.sales_orgs:
        return True
    return any(org in audience.sales_orgs for org in dealer.sales_org_path)


def is_visible(audience: Audience, dealer: DealerContext) -> bool:
    """Tell whether a dealer may learn why this audience excludes them.

    Only promotions whose orgs cover the dealer and that name no dealers list
    explain themselves: a dealer never learns of a deal made for others.
    """
    return covers_org(audience, dealer) and not audience.dealers


def audience_failures(
    audience: Audience, dealer: DealerContext, on: date
) -> list[AudienceFailure]:
    """Return every criterion of ``audience`` the dealer fails on date ``on``."""
    failures = []
    if not covers_org(audience, dealer):
        failures.append(AudienceFailure("sales_org", {}))
    if audience.dealers and dealer.code not in audience.dealers:
        failures.append(AudienceFailure("dealer", {}))
    if audience.tiers and dealer.tier not in audience.tiers:
        detail = {"required": list(audience.tiers), "actual": dealer.tier}
        failures.append(AudienceFailure("tier", detail))
    if audience.regions and dealer.region not in audience.regions:
        detail = {"required": list(audience.regions), "actual": dealer.region}
        failures.append(AudienceFailure("region", detail))
    if audience.min_tenure_years:
        years = tenure_years(dealer.customer_since, on)
        if years < audience.min_tenure_years:
            detail = {
                "required_years": audience.min_tenure_years,
                "actual_years": years,
            }
            failures.append(AudienceFailure("tenure", detail))
    for need in audience.history:
        total = dealer.history.get(need.key, _NOTHING)
        short_amount = need.min_amount is not None and total.amount < need.min_amount
        short_quantity = (
            need.min_quantity is not None and total.quantity < need.min_quantity
        )
        if short_amount or short_quantity:
            detail = {
                "kind": need.kind,
                "code": need.code,
                "window_days": need.window_days,
                "min_amount": money_str(need.min_amount),
                "min_quantity": need.min_quantity,
                "amount": money_str(total.amount),
                "quantity": total.quantity,
            }
            failures.append(AudienceFailure("history", detail))
    for need in audience.agreement:
        achieved = dealer.achievement.get(need.category or "")
        if achieved is None or achieved < need.min_percent:
            detail = {
                "category": need.category,
                "min_percent": str(need.min_percent),
                "achieved": None if achieved is None else str(achieved),
            }
            failures.append(AudienceFailure("agreement", detail))
    return failures


def history_keys(rules: Iterable[Rule | Candidate]) -> set[HistoryKey]:
    """Return the (kind, code, window_days) history totals these rules need."""
    keys: set[HistoryKey] = set()
    for entry in rules:
        rule = entry.rule if isinstance(entry, Candidate) else entry
        keys |= rule.history_requirements
    return keys
