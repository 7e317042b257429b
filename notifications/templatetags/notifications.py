"""The live bell's first paint (the WebSocket keeps it fresh)."""

from django import template

from common import versions
from notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def live_state(context) -> selectors.LiveState:
    """The unread count and the newest notification's id, for the bell."""
    request = context.get("request")
    if request is None or getattr(request, "dealer_user", None) is None:
        return selectors.LiveState(unread=0, newest=0)
    # Cached until the dealer's data moves (a notification bumps it: common.triggers).
    return versions.dealer_cached(
        request.dealer.pk,
        f"bell:{request.user.pk}",
        lambda: selectors.live_state(user=request.user),
    )
