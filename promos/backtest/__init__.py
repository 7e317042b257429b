"""Back-test a draft promotion against the last N days of what dealers actually bought.

What is replayed
    The "actual orders" are the dealers' purchases in ``catalog.SalesHistory``: ERP
    imports and portal shipments both land there, so it is the one complete record of
    what was bought, whatever the channel. Rows are grouped into one cart per
    (dealer, date): a day's purchases are taken as one order. Lines of one SKU are
    merged; a SKU whose net quantity that day is not above zero (returns), that is no
    longer active or that is gift-only is left out, as the order service would refuse
    it; a cart left empty is skipped and counted. Only dealers inside the draft owner's
    sales organisation subtree are replayed: the authority rule keeps the draft's
    audience inside it, and the competitors' figures are given over the same carts so
    that they can be read side by side.

How a cart is priced and evaluated
    Exactly as ``orders.services.order_place`` would price it on that day: each line at
    the dealer's tier price, else the list price (today's price lists: past prices are
    not kept); the dealer's current tier, region and sales organisation; tenure and
    history windows as of the cart's date; gift choices left to the default (the first
    option); evaluated at noon local time of the cart's date by the one engine
    (``promos.engine.evaluate``), so priorities, stacking and exclusivity are the
    engine's own.

Dealer history windows
    Computed exactly per cart date, with the same arithmetic as
    ``catalog.selectors.dealer_history_totals`` (whole months from the monthly facts
    table, the partial months at the window's edges from raw history), but read in
    bulk for a chunk of dealers: one facts query and one raw-history query per chunk,
    then prefix sums, so a cart costs a few bisections per history requirement. Like
    the live path, the window up to a date includes that date.

Which promotions take part
    One ``PromotionIndex`` holds the draft, made live over the whole period ("as if
    approved and in its window"), and the approved promotions whose window overlaps
    the period, whose audience can reach the owner's subtree and whose SKUs or
    categories overlap the draft's (order-scope ones overlap everything), plus those
    that overlap these in turn (they can change what the draft sees through
    exclusivity or net amounts). Competitors keep their own windows. The draft's own
    approved version, when the draft is a new version of a live promotion, is left
    out: the draft replaces it.

Limits
    No budget is consumed and none cuts a promotion: the figures are what each
    promotion would have cost, i.e. the budget it would have needed. Per-dealer limits
    (``max_applications_per_dealer``) are applied, counted from zero at the start of
    the period, carts replayed in date order.

Figures per promotion
    ``qualifying_dealers`` (dealers with a cart on a day the promotion was in its
    window and its audience held), ``dealers_reached`` (dealers with ≥ 1 application),
    ``carts`` (carts it concerned), ``orders`` (carts it applied to: the ledger rows
    real orders would write), ``applications`` (times earned), gift units (also per
    SKU) and gift cost at the gift product's cost (else list price), discount, expense
    credit, and their sum ``cost``: the budget needed, next to the definition's budget.
"""

from promos.backtest.replayer import Figures, replay
from promos.backtest.run import backtest_run

__all__ = ["Figures", "backtest_run", "replay"]
