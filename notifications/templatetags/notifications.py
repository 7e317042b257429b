"""The unread count for the live badge's first paint (the WebSocket keeps it fresh)."""

from django import template

from notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    request = context.get("request")
    if request is None or getattr(request, "dealer_user", None) is None:
        return 0
    return selectors.unread_count(user=request.user)
