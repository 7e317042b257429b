"""The portal installs as an app: its manifest is served with its own type."""

from django.templatetags.static import static
from django.test import Client


def test_manifest_is_served_as_a_web_app_manifest(db):
    """Browsers expect application/manifest+json, not application/octet-stream."""
    answer = Client().get(static("portal/manifest.webmanifest"))

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/manifest+json")
