"""A dealer page's content, rendered once per version of everything it shows.

A busy page (home, orders, promotions, one promotion, the catalogue's cards) renders
its content, the part under the top bar, through ``content()``. The HTML is cached
under a key holding the page, its URL with the query, the language, the dealer login,
the day, whatever the view adds (``parts``: which promotions apply now, so a promotion
starting at two o'clock shows at two) and the numbers of every scope it reads
(``common.versions``): the dealer's own scope, which the database bumps on any write
to the dealer's data (``common.triggers``), and the global ones (promotions,
catalogue, stock, history, orgs, CMS). A write commits, the numbers move, and the
next view renders afresh: cached, never stale.

What differs per request or per second is put in after the cache: the request's CSRF
token and relative times ("3 minutes ago", ``{% when %}``). The shell around the
content (cart badge, bell, chat, messages) is rendered on every request.
"""

import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from common import versions
from portal.when import when_text

CSRF_MARK = "csrf-token-of-this-request"
LATE = "render_for_cache"  # in the context: write marks, not per-request values
TIMEOUT = 600  # seconds; a write moves the key long before
_WHEN = re.compile(r"@@when:(-?\d+(?:\.\d+)?)@@")


def when_mark(moment: datetime) -> str:
    """A mark ``late()`` turns into ``portal.when.when_text(moment)`` on every
    request."""
    return f"@@when:{moment.timestamp()}@@"


def late(html: str, request) -> SafeString:
    """Cached HTML with this request's CSRF token and times put in."""
    html = html.replace(CSRF_MARK, get_token(request))
    if "@@when:" in html:
        html = _WHEN.sub(
            lambda m: when_text(datetime.fromtimestamp(float(m[1]), tz=UTC)), html
        )
    return mark_safe(html)  # noqa: S308 - rendered by our templates, escaped there


def render(template: str, context: dict, request) -> str:
    """``template`` (usually a partial) rendered for the cache: marks, not values."""
    return render_to_string(
        template, {**context, "csrf_token": CSRF_MARK, LATE: True}, request=request
    )


def content(
    request,
    page: str,
    template: str,
    context: Callable[[], dict],
    *,
    keep: Iterable[str] = (),
    parts: Iterable[object] = (),
    scopes: Iterable[str] = versions.GLOBAL,
    shared_by: tuple | None = None,
    cache: bool = True,
) -> dict:
    """``{"content": template rendered with context(), and context()'s `keep` values}``
    from the cache, or computed and cached; ``cache=False`` computes and gives the
    whole context (a page with a one-off state, such as a form's answer).

    The entry is the dealer login's own, keyed on its dealer's scope too; content
    that shows nothing of one dealer (the catalogue's cards) is ``shared_by`` the
    logins alike in what it shows (tier, role), and keyed on ``scopes`` alone."""
    dealer_user = request.dealer_user
    keep = tuple(keep)

    def compute() -> dict:
        values = context()
        return {
            "content": render(template, values, request),
            **{name: values[name] for name in keep if name in values},
        }

    if not cache:
        values = context()
        return {**values, "content": late(render(template, values, request), request)}
    key = (
        page,
        request.get_full_path(),
        get_language(),
        timezone.localdate(),
        *parts,
    )
    if shared_by is None:
        key += (dealer_user.pk,)
        scopes = (*scopes, versions.dealer(dealer_user.dealer_id))
    else:
        key += shared_by
    key += (versions.current(scopes),)
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    value = versions.cached(f"page:{page}:{digest}", compute, timeout=TIMEOUT)
    return {**value, "content": late(value["content"], request)}
