"""Promotion evaluation, org roll-ups and the abuse guard."""

urls = []
