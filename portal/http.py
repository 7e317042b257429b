"""Typed request for views behind django-htmx and the dealer middleware."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from dealers.models import Dealer, DealerUser


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
    dealer: Dealer | None
    dealer_user: DealerUser | None
