"""The cart, the checkout review and what changed between review and submit."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from portal.presenters.common import ZERO, HintView, Names, hint_view, pick
from portal.templatetags.portal import money


@dataclass
class CartRow:
    item: object
    product: object
    line: object | None
    discounts: list = field(default_factory=list)
    addon: bool = False
    promised: list = field(default_factory=list)


@dataclass
class GiftOptionView:
    index: int
    product: object
    quantity: int
    in_stock: bool
    chosen: bool


@dataclass
class GiftView:
    promotion: str
    promotion_name: str
    product: object | None
    quantity: int
    declined: bool
    defaulted: bool
    in_stock: bool
    options: list[GiftOptionView]


@dataclass
class CartView:
    """Everything the cart, the checkout and the sticky summary show."""

    state: object
    rows: list[CartRow]
    unavailable: list
    gifts: list[GiftView]
    hints: list[HintView]
    offers: list
    reasons: list
    notes: list
    applied: list
    count: int
    gift_count: int
    quote: object | None

    @property
    def total(self) -> Decimal:
        return self.quote.total if self.quote is not None else ZERO

    @property
    def empty(self) -> bool:
        return not self.rows and not self.unavailable


def _promotion_names(quote) -> dict[str, tuple[str, int]]:
    return {v.promotion.code: (v.display_name, v.number) for v in quote.inputs.versions}


def promised_view(promised: Mapping) -> dict[str, list[dict]]:
    """Promised parts per SKU with the warehouse's name: "40 from Shanghai DC, 4 Dec"."""
    if not promised:
        return {}
    names = catalog_selectors.warehouse_names()
    return {
        sku: [
            {
                "quantity": part.quantity,
                "warehouse": names.get(part.warehouse, part.warehouse or ""),
                "date": part.date,
            }
            for part in parts
        ]
        for sku, parts in promised.items()
    }


def cart_view(state) -> CartView:
    """Shape a ``CartQuote`` for the page: rows, gifts with their options, hints."""
    quote = state.quote
    if quote is None:
        rows = [CartRow(item=i, product=i.product, line=None) for i in state.items]
        return CartView(
            state=state,
            rows=[r for r in rows if r.item not in state.unavailable],
            unavailable=list(state.unavailable),
            gifts=[],
            hints=[],
            offers=[],
            reasons=[],
            notes=[],
            applied=[],
            count=state.count,
            gift_count=0,
            quote=None,
        )
    priced, products = quote.priced, quote.inputs.products
    promotions = _promotion_names(quote)
    names = Names(products)
    lines = {line.sku: line for line in priced.lines}
    promised = promised_view(quote.promised)
    addon_skus = {offer.sku for offer in priced.addon_offers if offer.quantity_taken}
    rows = []
    for item in state.items:
        if item in state.unavailable:
            continue
        line = lines.get(item.product.sku)
        rows.append(
            CartRow(
                item=item,
                product=products.get(item.product.sku, item.product),
                line=line,
                discounts=[
                    {
                        "code": part.promotion,
                        "name": promotions.get(part.promotion, (part.promotion,))[0],
                        "amount": part.discount,
                    }
                    for part in (line.promotions if line else ())
                    if part.discount
                ],
                addon=item.product.sku in addon_skus,
                promised=promised.get(item.product.sku, []),
            )
        )
    gifts = [
        GiftView(
            promotion=gift.promotion,
            promotion_name=promotions.get(gift.promotion, (gift.promotion,))[0],
            product=products.get(gift.sku) if gift.sku else None,
            quantity=gift.quantity,
            declined=gift.declined,
            defaulted=gift.defaulted,
            in_stock=gift.in_stock,
            options=[
                GiftOptionView(
                    index=option.index,
                    product=products.get(option.sku),
                    quantity=option.quantity,
                    in_stock=option.in_stock,
                    chosen=not gift.declined and option.index == gift.option_index,
                )
                for option in gift.options
            ],
        )
        for gift in priced.gifts
    ]
    offers = [
        {
            "promotion": offer.promotion,
            "promotion_name": promotions.get(offer.promotion, (offer.promotion,))[0],
            "product": products.get(offer.sku),
            "sku": offer.sku,
            "price": offer.price,
            "earned": offer.quantity_earned,
            "taken": offer.quantity_taken,
            "left": offer.quantity_earned - offer.quantity_taken,
        }
        for offer in priced.addon_offers
    ]
    offered = {(o["promotion"], o["sku"]) for o in offers if o["left"] > 0}
    hints = [
        hint_view(h, names, promotions.get(h.promotion, (h.promotion,))[0])
        for h in priced.hints
        if (h.promotion, h.sku_suggestion) not in offered
    ]
    reasons = [
        {
            "promotion": r.promotion,
            "promotion_name": promotions.get(r.promotion, (r.promotion,))[0],
            "reason": r.reason,
            "message": pick(r.message_zh, r.message_en),
        }
        for r in priced.not_applied
    ]
    notes = [
        {
            "promotion_name": promotions.get(n.promotion, (n.promotion,))[0],
            "message": pick(n.message_zh, n.message_en),
        }
        for n in priced.notes
    ]
    applied = [
        {
            "code": a.promotion,
            "name": promotions.get(a.promotion, (a.promotion,))[0],
            "version": a.version,
            "times": a.times,
            "discount": a.discount,
            "expense_credit": a.expense_credit,
        }
        for a in priced.applied
    ]
    return CartView(
        state=state,
        rows=rows,
        unavailable=list(state.unavailable),
        gifts=gifts,
        hints=hints,
        offers=[o for o in offers if o["left"] > 0],
        reasons=reasons,
        notes=notes,
        applied=applied,
        count=state.count,
        gift_count=state.gift_count,
        quote=quote,
    )


# --- What changed between review and submit --------------------------------------------


def snapshot(quote) -> dict:
    """The part of a quote the dealer reviewed: lines, gifts, promotions, total."""
    data = quote.to_dict()
    return {
        "lines": {
            line["sku"]: [line["quantity"], line["unit_price"], line["net_amount"]]
            for line in data["lines"]
        },
        "gifts": {
            f"{g['promotion']}:{g['sku']}": g["quantity"]
            for g in data["gifts"]
            if g["quantity"]
        },
        "applied": {a["promotion"]: a["times"] for a in data["applied"]},
        "total": data["total"],
    }


@dataclass
class Change:
    what: str
    before: str
    after: str


def quote_diff(seen: Mapping | None, fresh: Mapping, names: Names) -> list[Change]:
    """What differs between the quote the dealer reviewed and the quote now."""
    if not seen:
        return [Change(_("Total"), "", money(fresh["total"]))]
    changes = []
    if seen.get("total") != fresh["total"]:
        changes.append(
            Change(_("Total"), money(seen.get("total")), money(fresh["total"]))
        )
    before_lines, after_lines = seen.get("lines", {}), fresh["lines"]
    for sku in sorted(set(before_lines) | set(after_lines)):
        before, after = before_lines.get(sku), after_lines.get(sku)
        if before == after:
            continue
        label = names(sku)
        if before is None:
            changes.append(Change(label, _("not in the order"), f"× {after[0]}"))
        elif after is None:
            changes.append(Change(label, f"× {before[0]}", _("removed")))
        elif before[0] != after[0]:
            changes.append(Change(label, f"× {before[0]}", f"× {after[0]}"))
        elif before[1] != after[1]:
            changes.append(
                Change(
                    _("%(name)s: price") % {"name": label},
                    money(before[1]),
                    money(after[1]),
                )
            )
        else:
            changes.append(
                Change(
                    _("%(name)s: after discounts") % {"name": label},
                    money(before[2]),
                    money(after[2]),
                )
            )
    before_gifts, after_gifts = seen.get("gifts", {}), fresh["gifts"]
    for key in sorted(set(before_gifts) | set(after_gifts)):
        before, after = before_gifts.get(key, 0), after_gifts.get(key, 0)
        if before != after:
            label = _("Gift: %(name)s") % {"name": names(key.split(":", 1)[1])}
            changes.append(Change(label, f"× {before}", f"× {after}"))
    before_applied, after_applied = seen.get("applied", {}), fresh["applied"]
    for code in sorted(set(before_applied) - set(after_applied)):
        changes.append(
            Change(_("Promotion %(code)s") % {"code": code}, _("applied"), _("ended"))
        )
    for code in sorted(set(after_applied) - set(before_applied)):
        changes.append(
            Change(_("Promotion %(code)s") % {"code": code}, "—", _("applied"))
        )
    return changes


def summary(state) -> dict:
    """The sticky bar: lines, total, gift units earned."""
    return {"count": state.count, "total": state.total, "gift_count": state.gift_count}
