"""Inline keyboards. Callback data is short (``prefix:arg``), never over Telegram's
64 bytes, and only ever a request: handlers re-check every id against the dealer."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from catalog import selectors as catalog_selectors
from notifications.telegram import texts

MAX_CALLBACK_BYTES = 64


def fits(data: str) -> bool:
    return len(data.encode()) <= MAX_CALLBACK_BYTES


def button(text: str, data: str) -> InlineKeyboardButton:
    if not fits(data):
        raise ValueError(f"callback data over 64 bytes: {data!r}")
    return InlineKeyboardButton(str(text), callback_data=data)


def markup(rows) -> InlineKeyboardMarkup | None:
    rows = [[b for b in row if b is not None] for row in rows]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


def languages() -> InlineKeyboardMarkup:
    return markup([[button("简体中文", "l:zh-hans"), button("English", "l:en")]])


def product_rows(products, language: str) -> list:
    """Two buttons per product: add 1, add 10."""
    rows = []
    for product in products:
        one, ten = f"da:{product.sku}:1", f"da:{product.sku}:10"
        if not fits(ten):
            continue
        name = texts.bilingual(product.name, product.name_en, language)
        price = texts.money(catalog_selectors.dealer_price(product))
        rows.append(
            [
                button(f"{name} {price} +1", one),
                button("+10", ten),
            ]
        )
    return rows
