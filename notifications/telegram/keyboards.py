"""Inline keyboards. Callback data is short (``prefix:arg``), never over Telegram's
64 bytes, and only ever a request: handlers re-check every id against the dealer."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

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
