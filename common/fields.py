"""Model fields shared by every app."""

from decimal import Decimal

from django.db import models

MONEY_MAX_DIGITS = 14
ZERO = Decimal("0.00")


class MoneyField(models.DecimalField):
    """A CNY amount: Decimal with two places, never a float."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "common.fields.MoneyField", args, kwargs
