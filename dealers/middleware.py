"""Resolve ``request.dealer`` once per request."""

from dealers import selectors


class DealerMiddleware:
    """Sets ``request.dealer_user`` and ``request.dealer`` for dealer logins, else None.

    A staff user is never a dealer, even if a dealer-user row points at them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        dealer_user = selectors.dealer_user_for(user=request.user)
        request.dealer_user = dealer_user
        request.dealer = dealer_user.dealer if dealer_user else None
        return self.get_response(request)
