"""The ERP page of the back office: the connector's state, the latest run's progress
per form, its bad rows with the K/3 id, and orders the ERP did not take."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from erp.models import SyncError, SyncRun
from orders import services as order_services
from tests.notifications.factories import rep_for
from tests.orders import factories as order_factories
from tests.portal.conftest import html, hx


def _client(rep, language="en") -> Client:
    client = Client()
    client.force_login(rep.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def rep(world):
    return rep_for(world, "rep1", org="EAST-SH", serves=["dealer"])


@pytest.fixture
def run(db):
    run = SyncRun.objects.create(
        status=SyncRun.Status.RUNNING,
        progress={
            "BD_MATERIAL": {
                "rows": 2050,
                "pages": 2,
                "errors": 1,
                "skipped": 0,
                "done": True,
            },
            "BD_Customer": {
                "rows": 12,
                "pages": 1,
                "errors": 0,
                "skipped": 0,
                "done": False,
            },
        },
    )
    SyncError.objects.create(
        run=run, form="BD_MATERIAL", erp_id="35", reason="no material group"
    )
    return run


def test_the_page_shows_progress_bad_rows_and_failed_pushes(world, rep, run):
    """A rep reads each form's rows/pages/bad rows, the bad row's K/3 id and reason,
    and "ERP: failed (reason)" for an order of their org the ERP refused."""
    order = order_factories.place(world["owner"], [("TEA-A-01", 2)])
    order_services.order_erp_mark(
        number=order.number,
        system="k3cloud",
        status="failed",
        error="物料编码不存在",
    )
    page = html(_client(rep).get(reverse("office:erp")))
    assert "2,050" in page
    assert "Materials" in page
    assert "BD_MATERIAL 35" in page
    assert "no material group" in page
    assert "ERP: failed (物料编码不存在)" in page
    assert order.number in page
    assert 'hx-trigger="every 2s"' in page  # a running run refreshes itself

    partial = html(_client(rep).get(reverse("office:erp"), **hx("erp-latest")))
    assert partial.lstrip().startswith('<div id="erp-latest"')

    chinese = html(_client(rep, "zh-hans").get(reverse("office:erp")))
    assert "物料" in chinese
    assert "连接器" in chinese or "金蝶" in chinese


def test_the_page_says_when_the_connector_is_off(world, rep, settings):
    settings.K3CLOUD = {**settings.K3CLOUD, "URL": ""}
    page = html(_client(rep).get(reverse("office:erp")))
    assert "K3CLOUD_URL" in page


def test_a_run_page_and_dealers_are_kept_out(world, rep, run):
    """A run has its own page; a dealer's user cannot open the ERP page."""
    assert "BD_MATERIAL 35" in html(
        _client(rep).get(reverse("office:erp-run", args=[run.pk]))
    )
    dealer = Client()
    dealer.force_login(world["owner"].user)
    assert dealer.get(reverse("office:erp")).status_code in (302, 403)
