"""'When will SO-000123 arrive?' in the bot: the per-line estimate, scoped to the dealer."""

import datetime

from tests.orders.factories import place


def test_asking_when_an_order_arrives_answers_each_open_line(linked, world):
    # given: an order of tea estimated for 21 Dec
    order = place(world["buyer"], [("TEA-A-01", 2)])
    order.lines.filter(is_gift=False).update(estimated_date=datetime.date(2026, 12, 21))
    chat = linked()
    # when
    said = chat.send(f"when will {order.number.lower()} arrive?")
    # then
    assert f"When order {order.number} arrives" in said
    assert "× 2" in said
    assert "21 Dec 2026" in said


def test_a_line_without_an_estimate_says_so(linked, world):
    order = place(world["buyer"], [("TEA-A-01", 2)])
    order.lines.update(estimated_date=None)
    said = linked().send(f"{order.number} 什么时候到？")
    assert "no date yet" in said


def test_asking_about_another_dealers_order_reveals_nothing(linked, world):
    theirs = place(world["other_user"], [("TEA-C-01", 1)])
    said = linked().send(f"when will {theirs.number} arrive?")
    assert "No order with that number" in said
