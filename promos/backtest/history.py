"""Dealer history totals as of each cart's date, read in bulk for a chunk of dealers."""

import bisect
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from catalog import selectors as catalog_selectors
from catalog.models import SalesHistory
from promos import engine
from promos.engine.types import NO_HISTORY

ZERO = Decimal("0.00")


class DealerHistory:
    """Per-date history totals of a chunk of dealers, as ``dealer_history_totals``
    computes them, from two bulk queries."""

    def __init__(
        self,
        *,
        dealer_ids: list[int],
        requirements: set[tuple[str, str, int]],
        first: date,
        last: date,
        product_keys: Mapping[int, frozenset[str]],
    ) -> None:
        self.requirements = sorted(requirements)
        self.facts: dict[int, dict[tuple[str, date], catalog_selectors.Totals]] = {}
        self.raw: dict[tuple[int, str], tuple[list, list, list]] = {}
        self._windows: dict[tuple[date, int], tuple] = {}
        if not self.requirements or not dealer_ids:
            return
        keys = {f"{kind}:{code}" for kind, code, _days in self.requirements}
        longest = max(days for _k, _c, days in self.requirements)
        self.facts = catalog_selectors.dealer_facts_bulk(
            dealer_ids=dealer_ids,
            keys=keys,
            first_month=(first - timedelta(days=longest)).replace(day=1),
            last_month=last,
        )
        # Raw rows only where a window can have a partial month: the month of each
        # window's start, and the months of the carts' own dates.
        ranges = {(first.replace(day=1), last)}
        for days in {d for _k, _c, d in self.requirements}:
            low, high = first - timedelta(days=days), last - timedelta(days=days)
            ranges.add((low.replace(day=1), _month_end(high)))
        condition = Q()
        for low, high in ranges:
            condition |= Q(date__range=(low, high))
        products = [pk for pk, found in product_keys.items() if found & keys]
        series: dict[tuple[int, str], list[tuple[date, int, Decimal]]] = defaultdict(
            list
        )
        if products:
            rows = (
                SalesHistory.objects.filter(
                    condition, dealer_id__in=dealer_ids, product_id__in=products
                )
                .order_by()
                .values_list("dealer_id", "product_id", "date", "quantity", "amount")
            )
            for dealer_id, product_id, day, quantity, amount in rows.iterator(
                chunk_size=5000
            ):
                for key in product_keys[product_id] & keys:
                    series[(dealer_id, key)].append((day, quantity, amount))
        for index, entries in series.items():
            entries.sort(key=lambda entry: entry[0])
            days, quantities, amounts = [], [0], [ZERO]
            for day, quantity, amount in entries:
                days.append(day)
                quantities.append(quantities[-1] + quantity)
                amounts.append(amounts[-1] + amount)
            self.raw[index] = (days, quantities, amounts)

    def _window(self, on: date, days: int) -> tuple:
        window = self._windows.get((on, days))
        if window is None:
            window = catalog_selectors.history_window(on=on, days=days)
            self._windows[(on, days)] = window
        return window

    def totals(
        self, dealer_id: int, on: date
    ) -> Mapping[tuple[str, str, int], engine.HistoryTotal]:
        """The dealer's totals for every requirement, for a window ending on ``on``."""
        if not self.requirements:
            return NO_HISTORY
        facts = self.facts.get(dealer_id, {})
        result = {}
        for kind, code, days in self.requirements:
            key = f"{kind}:{code}"
            months, partial = self._window(on, days)
            quantity, amount = 0, ZERO
            for month in months:
                found = facts.get((key, month))
                if found is not None:
                    quantity += found.quantity
                    amount += found.amount
            raw = self.raw.get((dealer_id, key))
            if raw is not None:
                dates, quantities, amounts = raw
                for low, high in partial:
                    i = bisect.bisect_left(dates, low)
                    j = bisect.bisect_right(dates, high)
                    quantity += quantities[j] - quantities[i]
                    amount += amounts[j] - amounts[i]
            result[(kind, code, days)] = engine.HistoryTotal(quantity, amount)
        return result


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)
