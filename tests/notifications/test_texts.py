"""What a notification says, in the reader's language, with no raw codes."""

import pytest

from notifications import texts
from notifications.models import Notification


@pytest.mark.parametrize(
    ("language", "title", "period"),
    [
        ("zh-hans", "对账单有异议", "2026年11月1日"),
        ("en", "Statement disputed", "1 Nov 2026"),
    ],
)
def test_a_statement_dispute_reads_as_a_sentence(language, title, period):
    """The dealer's dispute comes back as a sentence with dates as UX.md writes them
    and leads to that statement, never "Update: disputed — from: 2026-11-01"."""
    notification = Notification(
        kind="statement.disputed",
        data={"from": "2026-11-01", "to": "2026-11-30", "note": "少了一笔"},
    )

    rendered = texts.render(notification, language)

    assert rendered.title == title
    assert period in rendered.body
    assert "少了一笔" in rendered.body
    assert "from:" not in rendered.body
    assert "2026-11-01" not in rendered.body
    assert rendered.url == "/statement/?start=2026-11-01&end=2026-11-30"


def test_a_released_order_reads_as_a_sentence():
    rendered = texts.render(
        Notification(kind="order.released", data={"order": "SO-1"}), "en"
    )
    assert rendered.title == "Order SO-1 released"
    assert rendered.url == "/orders/SO-1/"
