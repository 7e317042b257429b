"""A dealer page's content, rendered once per version of everything it shows.

A busy page (home, orders, promotions, one promotion, the catalogue) is rendered
through ``page()``, a fragment htmx asks for (the next page of a list) through
``content()``. The HTML is cached under a key holding the page, its URL with the
query, the language, the dealer login, the day, whatever the view adds (``parts``:
which promotions apply now, so a promotion starting at two o'clock shows at two)
and the numbers of every scope it reads
(``common.versions``): the dealer's own scope, which the database bumps on any write
to the dealer's data (``common.triggers``), and the global ones (promotions,
catalogue, stock, history, orgs, CMS). A write commits, the numbers move, and the
next view renders afresh: cached, never stale.

The shell around the content (cart badge, bell, chat) is cached with it, keyed on the
dealer's scope too, which the badges' data moves (``page``); a page with messages to
show is rendered afresh. What differs per request or per second is put in after the
cache: the request's CSRF token and relative times ("3 minutes ago", ``{% when %}``).
"""

import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.contrib.messages import get_messages
from django.http import HttpResponse
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


def _cache_key(
    request, name: str, parts: Iterable[object], scopes: Iterable[str], shared_by
) -> str:
    """The entry of ``name`` at this URL, language and day, for this login (or for
    the logins ``shared_by`` names), at the current numbers of ``scopes`` (and of the
    dealer's own scope, unless shared)."""
    dealer_user = request.dealer_user
    key = (
        name,
        request.get_full_path(),
        get_language(),
        timezone.localdate(),
        *parts,
    )
    if shared_by is None:
        key += (dealer_user.pk,)
        scopes = (*scopes, versions.dealer(dealer_user.dealer_id))
    else:
        key += tuple(shared_by)
    key += (versions.current(scopes),)
    return f"page:{name}:{hashlib.sha256(repr(key).encode()).hexdigest()}"


def _cached_content(
    request,
    name: str,
    template: str,
    context: Callable[[], dict],
    *,
    keep: Iterable[str],
    parts: Iterable[object],
    scopes: Iterable[str],
    shared_by,
) -> dict:
    """``{"content": template rendered for the cache, and context()'s `keep`}``."""
    keep = tuple(keep)

    def compute() -> dict:
        values = context()
        return {
            "content": render(template, values, request),
            **{key: values[key] for key in keep if key in values},
        }

    key = _cache_key(request, name, parts, scopes, shared_by)
    return versions.cached(key, compute, timeout=TIMEOUT)


def content(
    request,
    name: str,
    template: str,
    context: Callable[[], dict],
    *,
    scopes: Iterable[str] = versions.GLOBAL,
    shared_by: tuple | None = None,
) -> SafeString:
    """``template`` rendered with ``context()``, from the cache or rendered and
    cached: a fragment htmx asks for (the next page of a list).

    The entry is the dealer login's own, keyed on its dealer's scope too; content
    that shows nothing of one dealer (the catalogue's cards) is ``shared_by`` the
    logins alike in what it shows (tier, role), and keyed on ``scopes`` alone."""
    value = _cached_content(
        request,
        name,
        template,
        context,
        keep=(),
        parts=(),
        scopes=scopes,
        shared_by=shared_by,
    )
    return late(value["content"], request)


def page(
    request,
    name: str,
    template: str,
    context: Callable[[], dict],
    *,
    keep: Iterable[str] = (),
    parts: Iterable[object] = (),
    scopes: Iterable[str] = versions.GLOBAL,
    shared_by: tuple | None = None,
    cache: bool = True,
) -> HttpResponse:
    """The whole page ``template``, its ``{{ content }}`` being its ``#content``
    partial: from the cache (the login's own entry, keyed on the dealer's scope,
    which the shell's badges read too), or rendered and cached. ``shared_by`` shares
    the content (not the page) among logins alike (see ``content``); ``keep`` names
    what the page's blocks read of a shared content's context. A page with messages
    to show, or with ``cache=False`` (a one-off state, such as a form's answer), is
    rendered now; its shared content still comes from the cache."""
    partial = f"{template}#content"
    parts = tuple(parts)

    def whole() -> str:
        if shared_by is None:
            values = context()
            values["content"] = mark_safe(render(partial, values, request))  # noqa: S308
        else:
            values = dict(
                _cached_content(
                    request,
                    name,
                    partial,
                    context,
                    keep=keep,
                    parts=parts,
                    scopes=scopes,
                    shared_by=shared_by,
                )
            )
            values["content"] = mark_safe(values["content"])  # noqa: S308
        return render(template, values, request)

    if not cache or get_messages(request):
        html = whole()
    else:
        key = _cache_key(request, f"{name}:whole", parts, scopes, None)
        html = versions.cached(key, whole, timeout=TIMEOUT)
    return HttpResponse(late(html, request))
