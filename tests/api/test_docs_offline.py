"""The API's interactive docs work without the internet: no CDN."""

import re

from django.test import Client


def test_swagger_ui_loads_from_our_static_files(db):
    """/api/v1/docs points Swagger UI at /static/ (served by the app), never a CDN."""
    client = Client()
    page = client.get("/api/v1/docs").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)
    assert sources, page[:500]
    assert all(source.startswith("/static/") for source in sources), sources
    assert "cdn" not in page.lower()
    for source in sources:
        assert client.get(source).status_code == 200, source
