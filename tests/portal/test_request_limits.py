"""A form body over the limit gets the portal's own page (413), in the reader's
language, instead of Django's bare English 400."""

import pytest
from django.conf import settings


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Too much at once"), ("zh-hans", "一次提交的内容太多")],
)
def test_an_oversized_form_gets_the_portals_page(client, db, language, title):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post("/login/", {"username": "x", "note": "x" * (limit + 1)})
    page = response.content.decode()
    assert response.status_code == 413
    assert title in page
    assert "Bad Request" not in page
    assert 'data-testid="request-refused"' in page
