"""Which approved promotions take part in a back-test, next to the draft."""

from collections.abc import Mapping
from datetime import datetime

from django.db.models import F

from promos import engine, selectors
from promos.models import Promotion, PromotionVersion


class Footprint:
    """What a rule touches, for telling whether two rules can meet on a line."""

    def __init__(
        self,
        rule: engine.Rule,
        sku_paths: Mapping[str, tuple[str, ...]],
        category_paths: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.everything = rule.is_order_scope
        self.skus = set(rule.touched_skus)
        self.categories = set(rule.touched_categories)
        # Everything above a touched category or a touched SKU: a rule naming any of
        # these (or one of their descendants) can select the same lines.
        self.up: set[str] = set()
        for code in self.categories:
            self.up.update(category_paths.get(code, (code,)))
        self.sku_up = {sku: set(sku_paths.get(sku, ())) for sku in self.skus}

    def meets(self, other: "Footprint") -> bool:
        if self.everything or other.everything:
            return True
        if self.skus & other.skus:
            return True
        if self.categories & other.up or other.categories & self.up:
            return True
        if any(path & other.categories for path in self.sku_up.values()):
            return True
        return any(path & self.categories for path in other.sku_up.values())


def reaches(rule: engine.Rule, owner_path: str, org_paths: Mapping[str, str]) -> bool:
    """Whether the rule's audience can hold for some dealer of the owner's subtree."""
    for code in rule.audience.sales_orgs:
        path = org_paths.get(code)
        if path is not None and (
            path.startswith(owner_path) or owner_path.startswith(path)
        ):
            return True
    return False


def competitors(
    *,
    version: PromotionVersion,
    draft: engine.Rule,
    start: datetime,
    end: datetime,
    owner_path: str,
    org_paths: Mapping[str, str],
    sku_paths: Mapping[str, tuple[str, ...]],
    category_paths: Mapping[str, tuple[str, ...]],
) -> tuple[list[tuple[PromotionVersion, engine.Rule]], set[str]]:
    """Approved versions live during the period that take part, and the codes of those
    that overlap the draft directly (the ones reported next to it)."""
    live = (
        PromotionVersion.objects.filter(
            promotion__live_version=F("pk"),
            promotion__status=Promotion.Status.APPROVED,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .exclude(promotion_id=version.promotion_id)
        .select_related("promotion")
        .order_by("pk")
    )
    pool = []
    for candidate in live:
        rule = selectors.rule_of(candidate)
        if reaches(rule, owner_path, org_paths):
            pool.append((candidate, rule, Footprint(rule, sku_paths, category_paths)))
    draft_print = Footprint(draft, sku_paths, category_paths)
    direct = {rule.code for _v, rule, fp in pool if fp.meets(draft_print)}
    taken, prints = set(direct), [draft_print]
    prints += [fp for _v, rule, fp in pool if rule.code in taken]
    grew = True
    while grew:  # what overlaps a participant can change what it sees
        grew = False
        for _v, rule, fp in pool:
            if rule.code not in taken and any(fp.meets(p) for p in prints):
                taken.add(rule.code)
                prints.append(fp)
                grew = True
    return [(v, rule) for v, rule, _fp in pool if rule.code in taken], direct
