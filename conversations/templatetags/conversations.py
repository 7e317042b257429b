"""The chat icon's first paint (the WebSocket keeps it fresh)."""

from django import template

from common import versions
from conversations import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def chat_unread(context) -> int:
    """Threads with something new for this dealer user."""
    request = context.get("request")
    if request is None or getattr(request, "dealer_user", None) is None:
        return 0
    dealer_user = request.dealer_user
    # Cached until the dealer's data moves (threads, messages and read marks bump
    # it: common.triggers).
    return versions.dealer_cached(
        dealer_user.dealer_id,
        f"chat-unread:{dealer_user.pk}",
        lambda: selectors.unread_count(participant=selectors.dealer_side(dealer_user)),
    )
