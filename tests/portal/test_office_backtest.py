"""The back-test pages of the back office: pick a draft, start a run, follow its
progress (htmx or a plain refresh), read the figures; other orgs get a 404."""

import datetime
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog import services as catalog_services
from promos import backtest, services
from promos.models import BacktestRun
from tests.dealers.factories import SalesOrgFactory
from tests.notifications.factories import rep_for
from tests.orders import factories as order_factories
from tests.portal.conftest import html, hx

PROGRESS = "backtest-progress"


def _window() -> dict:
    now = timezone.localtime()
    return {
        "starts_at": (now - datetime.timedelta(days=100)).isoformat(),
        "ends_at": (now + datetime.timedelta(days=100)).isoformat(),
    }


def _client(rep) -> Client:
    client = Client()
    client.force_login(rep.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def office(world):
    """A draft gift on Tea A, a competing expense credit on all tea, a 5 % off Tea C
    that does not meet the draft, D1's Tea A carts of the last weeks, a
    manager of EAST and one of SOUTH."""
    world["orgs"]["SOUTH"] = SalesOrgFactory(code="SOUTH", parent=world["orgs"]["HQ"])
    draft = services.promotion_save(
        data=order_factories.definition("P-DRAFT", **_window()), by=None
    ).version
    order_factories.approve(order_factories.credit_definition("P-CREDIT", **_window()))
    order_factories.approve(order_factories.percent_definition("P-PCT", **_window()))
    products, dealer = world["products"], world["dealer"]
    today = timezone.localdate()
    catalog_services.sales_history_record(
        records=[
            catalog_services.HistoryRecord(
                external_id=f"H{n}",
                dealer_id=dealer.pk,
                product_id=products[sku].pk,
                quantity=quantity,
                amount=Decimal("100.00") * quantity,
                date=today - datetime.timedelta(days=days_ago),
            )
            for n, (sku, quantity, days_ago) in enumerate(
                [("TEA-A-01", 20, 3), ("TEA-C-01", 6, 3), ("TEA-A-01", 4, 9)]
            )
        ]
    )
    return {
        "draft": draft,
        "manager": _client(rep_for(world, "boss", org="EAST", serves=[], manager=True)),
        "stranger": _client(
            rep_for(world, "south", org="SOUTH", serves=[], manager=True)
        ),
    }


def test_the_list_offers_my_orgs_drafts(office):
    page = html(office["manager"].get(reverse("office:backtests")))
    assert "P-DRAFT" in page
    assert reverse("office:backtest-new", args=[office["draft"].pk]) in page
    assert "P-CREDIT" not in page  # approved: nothing to back-test
    assert "P-DRAFT" not in html(office["stranger"].get(reverse("office:backtests")))


def test_the_form_defaults_to_90_days(office):
    page = html(
        office["manager"].get(reverse("office:backtest-new", args=[office["draft"].pk]))
    )
    assert 'value="90"' in page
    assert "Start the back-test" in page


def test_start_redirects_to_the_run_page_which_shows_progress_then_results(office):
    """Started: the run is queued and the page polls every second (htmx) or offers a
    refresh; once the task has run, the page shows the figures side by side."""
    # when a manager starts a back-test (the task not run yet: still queued)
    response = office["manager"].post(
        reverse("office:backtest-new", args=[office["draft"].pk]), {"days": "30"}
    )
    run = BacktestRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("office:backtest", args=[run.pk])
    assert run.days == 30
    assert run.status == BacktestRun.Status.QUEUED

    # then the run page shows progress and polls
    page = html(office["manager"].get(response["Location"]))
    assert 'hx-trigger="every 1s"' in page
    assert "Queued" in page
    assert 'http-equiv="refresh"' in page  # without JavaScript
    assert 'data-testid="backtest-table"' not in page

    # and the htmx partial is only the progress block
    partial = html(office["manager"].get(response["Location"], **hx(PROGRESS)))
    assert partial.lstrip().startswith('<div id="backtest-progress"')
    assert "<html" not in partial

    # when the task runs
    backtest.backtest_run(run_id=run.pk)

    # then the partial stops polling and carries the results table
    partial = html(office["manager"].get(response["Location"], **hx(PROGRESS)))
    assert "hx-trigger" not in partial
    assert 'data-testid="backtest-table"' in partial
    assert 'data-code="P-DRAFT"' in partial
    assert 'data-code="P-CREDIT"' in partial
    assert 'data-code="P-PCT"' not in partial  # Tea C only: no line in common
    assert "Budget needed" in partial
    assert "¥30.00" in partial  # two cups for 20 Tea A, at ¥15.00 cost


def test_a_running_run_shows_how_many_carts_are_done(office):
    run = services.backtest_start(user=None, version=office["draft"], days=30)
    BacktestRun.objects.filter(pk=run.pk).update(
        status=BacktestRun.Status.RUNNING, progress_done=1, progress_total=2
    )
    page = html(office["manager"].get(reverse("office:backtest", args=[run.pk])))
    assert "1 of 2 carts replayed" in page
    assert 'aria-valuenow="50"' in page


def test_a_failed_run_says_so(office):
    run = services.backtest_start(user=None, version=office["draft"], days=30)
    BacktestRun.objects.filter(pk=run.pk).update(
        status=BacktestRun.Status.FAILED, error="DefinitionError: broken"
    )
    page = html(office["manager"].get(reverse("office:backtest", args=[run.pk])))
    assert "The back-test failed." in page
    assert "DefinitionError: broken" in page
    assert "hx-trigger" not in page


def test_bad_days_are_refused_next_to_the_field(office):
    response = office["manager"].post(
        reverse("office:backtest-new", args=[office["draft"].pk]), {"days": "400"}
    )
    assert response.status_code == 422
    assert not BacktestRun.objects.exists()


def test_another_orgs_draft_and_run_are_not_found(office):
    """A manager of SOUTH can neither open the form, start a run, nor see a run of an
    EAST promotion."""
    stranger = office["stranger"]
    form_url = reverse("office:backtest-new", args=[office["draft"].pk])
    assert stranger.get(form_url).status_code == 404
    assert stranger.post(form_url, {"days": "30"}).status_code == 404
    assert not BacktestRun.objects.exists()
    run = services.backtest_start(user=None, version=office["draft"], days=30)
    assert stranger.get(reverse("office:backtest", args=[run.pk])).status_code == 404
    assert (
        stranger.get(
            reverse("office:backtest", args=[run.pk]), **hx(PROGRESS)
        ).status_code
        == 404
    )


def test_dealers_cannot_use_the_back_office(office, world):
    client = Client()
    client.force_login(world["owner"].user)
    assert client.get(reverse("office:backtests")).status_code == 403


def test_the_promotion_editor_links_a_draft_to_its_back_test(office):
    page = html(
        office["manager"].get(
            reverse(
                "admin:promos_promotion_change", args=[office["draft"].promotion_id]
            )
        )
    )
    assert reverse("office:backtest-new", args=[office["draft"].pk]) in page


def test_a_killed_back_test_shows_failed_within_a_minute_and_reruns(
    office, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The worker dies mid-replay (the process exits: nothing in it can mark the
    run): its heartbeat stops, the tick marks the run failed with the reason the
    rep reads, and one click runs it again to the end."""
    settings.PORTAL = {**settings.PORTAL, "HEARTBEAT_TIMEOUT_SECONDS": 1}
    run = services.backtest_start(user=None, version=office["draft"], days=30)
    real_replay = backtest.run.replay

    def dies(**kwargs):
        kwargs["progress"](0, 10)  # one heartbeat, then the process is gone
        raise SystemExit("killed")

    # given a worker killed half-way (the run is left "running")
    monkeypatch.setattr(backtest.run, "replay", dies)
    with pytest.raises(SystemExit):
        backtest.backtest_run(run_id=run.pk)
    monkeypatch.setattr(backtest.run, "replay", real_replay)
    run.refresh_from_db()
    assert run.status == BacktestRun.Status.RUNNING

    # when the heartbeat is older than the threshold and the tick runs
    time.sleep(1.2)
    call_command("notifications_tick", "--once")

    # then the run page says it failed because the worker stopped
    run.refresh_from_db()
    page = html(office["manager"].get(reverse("office:backtest", args=[run.pk])))
    print(  # noqa: T201
        f"\ninjected: worker exits after 1 heartbeat (threshold 1 s); saw: "
        f"status {run.status}, error {run.error!r}"
    )
    assert run.status == BacktestRun.Status.FAILED
    assert "The worker running it stopped." in page
    assert "hx-trigger" not in page
    assert 'data-testid="backtest-retry"' in page

    # and one click runs it again, to the figures
    with django_capture_on_commit_callbacks(execute=True):
        response = office["manager"].post(
            reverse("office:backtest-retry", args=[run.pk])
        )
    fresh = BacktestRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == reverse("office:backtest", args=[fresh.pk])
    assert (fresh.days, fresh.version_id) == (run.days, run.version_id)
    assert fresh.status == BacktestRun.Status.DONE  # the immediate task backend


def test_a_live_back_test_is_not_swept_and_only_failed_runs_retry(office):
    """A run whose heartbeat is recent stays running; retrying a run that did not
    fail is refused."""
    run = services.backtest_start(user=None, version=office["draft"], days=30)
    BacktestRun.objects.filter(pk=run.pk).update(
        status=BacktestRun.Status.RUNNING, heartbeat_at=timezone.now()
    )
    assert services.backtests_sweep() == 0
    response = office["manager"].post(reverse("office:backtest-retry", args=[run.pk]))
    assert response.status_code == 302
    assert BacktestRun.objects.count() == 1
