"""The chat icon's first paint (the WebSocket keeps it fresh)."""

from django import template

from conversations import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def chat_unread(context) -> int:
    """Threads with something new for this dealer user."""
    request = context.get("request")
    if request is None or getattr(request, "dealer_user", None) is None:
        return 0
    return selectors.unread_count(
        participant=selectors.dealer_side(request.dealer_user)
    )
