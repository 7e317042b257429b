"""The installed app's service worker and its offline page.

The worker caches the shell (the portal's CSS, htmx, icons) and the offline page, and
answers a page that cannot load with that offline page. It never caches pages or
fragments: prices, carts, stock, credit and orders always come from the server.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

SHELL = (
    "portal/portal.css",
    "portal/icons/icon.svg",
    "portal/icons/icon-192.png",
    "django_htmx/htmx-2.min.js",
)


def _shell() -> list[str]:
    return [static(path) for path in SHELL if finders.find(path)]


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request):
    """``/sw.js``, at the site's root so that its scope is every page."""
    shell = _shell()
    # A new release (new static URLs, another version) installs a new cache.
    digest = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    version = f"{settings.PORTAL.get('RELEASE', '')}-{digest}"
    response = render(
        request,
        "portal/pwa/sw.js",
        {
            # the offline page first; JSON is JavaScript, and this is a script file
            "shell": json.dumps([reverse("portal:offline"), *shell]),
            "version": json.dumps(f"portal-shell-{version}"),
        },
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def offline(request):
    """What the app shows when a page cannot load (both languages: it is cached once
    for whoever installs the app)."""
    return render(request, "portal/pwa/offline.html")
