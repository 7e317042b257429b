"""The promotion engine: pure Python over frozen dataclasses, standard library only.

``parse_definition`` turns the JSON of promotions.md into a ``Rule``;
``PromotionIndex`` finds the candidates that concern a cart; ``evaluate``
prices the cart and says what applied, what did not and why, and what to add.
"""

from .audience import history_keys
from .definition import DefinitionError, parse_definition
from .describe import describe
from .evaluate import evaluate
from .index import PromotionIndex
from .money import quantize_money
from .results import (
    AddonOffer,
    AppliedPromotion,
    GiftGrant,
    GiftOption,
    Hint,
    LineDiscount,
    NotApplied,
    Note,
    Quote,
    QuoteLine,
)
from .rules import Rule
from .types import (
    Candidate,
    Cart,
    CartLine,
    DealerContext,
    GiftProduct,
    HistoryTotal,
    Item,
    Usage,
)

__all__ = [
    "AddonOffer",
    "AppliedPromotion",
    "Candidate",
    "Cart",
    "CartLine",
    "DealerContext",
    "DefinitionError",
    "GiftGrant",
    "GiftOption",
    "GiftProduct",
    "Hint",
    "HistoryTotal",
    "Item",
    "LineDiscount",
    "Note",
    "NotApplied",
    "PromotionIndex",
    "Quote",
    "QuoteLine",
    "Rule",
    "Usage",
    "describe",
    "evaluate",
    "history_keys",
    "parse_definition",
    "quantize_money",
]
