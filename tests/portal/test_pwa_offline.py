"""The installed app opens on a weak network: a service worker at the site's root
caches the shell and an offline page, never a page with prices, carts or orders."""

import re

from django.templatetags.static import static
from django.test import Client


def test_the_service_worker_is_served_for_the_whole_site(db):
    answer = Client().get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    assert "no-cache" in answer["Cache-Control"]
    script = answer.content.decode()
    shell = re.search(r"const SHELL = \[(.*)\];", script).group(1)
    assert '"/offline/"' in shell
    assert static("portal/portal.css") in shell
    assert static("django_htmx/htmx-2.min.js") in shell
    # what it caches is the shell only: no page with prices, carts or orders
    for page in ("/cart/", "/orders/", "/promotions/", "/catalog/", "/payments/"):
        assert f'"{page}' not in shell
    assert 'request.mode === "navigate"' in script


def test_the_offline_page_speaks_both_languages_without_a_login(db):
    answer = Client().get("/offline/")
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "您已离线" in page
    assert "You are offline" in page
    assert "tabbar" not in page  # nothing of anyone's account in a cached page


def test_every_page_registers_the_service_worker(client, db):
    page = client.get("/login/").content.decode()
    assert 'navigator.serviceWorker.register("/sw.js")' in page
