"""Back-testing a draft: the replay of sales history gives what real orders would have
recorded, stacking and exclusivity included; runs show progress and end visibly;
only staff of the promotion's org may start one."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import services as catalog_services
from common.errors import Conflict, Forbidden, InvalidInput
from dealers import groups
from orders import services as order_services
from orders.models import OrderLine
from promos import backtest, services
from promos.backtest import replayer
from promos.backtest.catalogue import catalogue
from promos.backtest.history import DealerHistory
from promos.models import BacktestRun, PromotionApplication, PromotionVersion
from tests.dealers.factories import DealerFactory, SalesRepFactory, TierFactory
from tests.world import gift_promotion

ZERO = Decimal("0.00")
DAYS = 30
MONEY = ("discount", "gift_cost", "expense_credit", "cost")
COUNTS = ("orders", "applications", "gift_units", "dealers_reached")


def _today() -> datetime.date:
    return timezone.localdate()


def _window() -> dict:
    now = timezone.localtime()
    return {
        "starts_at": (now - datetime.timedelta(days=200)).isoformat(),
        "ends_at": (now + datetime.timedelta(days=200)).isoformat(),
    }


def _draft_definition() -> dict:
    """The seed's gift (a cup per 10 Tea A, gold, 3+ years) for dealers who bought
    ¥500 of Tea C in the 30 days up to the order: history changes cart by cart."""
    return gift_promotion(
        code="P-DRAFT",
        audience={
            "sales_orgs": ["EAST-SH"],
            "tiers": ["gold"],
            "min_tenure_years": 3,
            "history": [
                {"category": "TEA-C", "min_amount": "500.00", "window_days": 30}
            ],
        },
        **_window(),
    )


def _percent_definition(**overrides) -> dict:
    """5 % off tea from 15 units, before the draft (priority 60)."""
    return gift_promotion(
        **{
            "code": "P-PCT",
            "name": "Tea 5 % off",
            "priority": 60,
            "audience": {"sales_orgs": ["EAST-SH"]},
            "condition": {
                "type": "quantity",
                "items": {"categories": ["TEA"]},
                "min": 15,
            },
            "reward": {"type": "percent_off", "percent": "5"},
            "repeat": False,
            "limits": {"budget": "90000.00"},
            **_window(),
            **overrides,
        }
    )


def _credit_definition() -> dict:
    """1 % expense support on ¥1,000 of tea, after the draft (priority 10)."""
    return gift_promotion(
        code="P-CREDIT",
        name="Tea expense support",
        priority=10,
        audience={"sales_orgs": ["EAST-SH"]},
        condition={
            "type": "amount",
            "items": {"categories": ["TEA"]},
            "min": "1000.00",
        },
        reward={"type": "expense_credit", "rate": "0.01"},
        repeat=False,
        limits={"budget": "90000.00"},
        **_window(),
    )


def _approve(definition: dict) -> None:
    services.promotion_save(data=definition, by=None)
    services.promotion_submit(code=definition["code"], by=None)
    services.promotion_approve(code=definition["code"], by=None)


@pytest.fixture
def scene(world):
    """Four dealers of EAST-SH with carts over the last 30 days, a draft and two
    approved promotions it competes with.

    D1 (gold, 2020) earns the gift on day −20 (Tea C bought on −40 and −20 makes the
    history), but not on day −5 although it buys 12 Tea A: by then its Tea C of the
    last 30 days is only ¥240. D2 (gold) buys with a return in the same day; D3 is
    silver and D4 too new for the draft, but the competitors apply to them.
    """
    orgs, products = world["orgs"], world["products"]
    gold = world["dealer"].tier
    silver = TierFactory(code="silver")
    dealers = {
        "D1": world["dealer"],
        "D2": DealerFactory(code="D2", sales_org=orgs["EAST-SH"], tier=gold),
        "D3": DealerFactory(code="D3", sales_org=orgs["EAST-SH"], tier=silver),
        "D4": DealerFactory(
            code="D4",
            sales_org=orgs["EAST-SH"],
            tier=gold,
            customer_since=_today() - datetime.timedelta(days=400),
        ),
    }
    rows = [
        ("D1", "TEA-C-01", 10, 40),  # before the period: history only
        ("D1", "TEA-A-01", 25, 20),
        ("D1", "TEA-C-01", 3, 20),
        ("D1", "TEA-A-01", 12, 5),
        ("D2", "TEA-A-01", 30, 15),
        ("D2", "TEA-A-01", -5, 15),  # a return the same day
        ("D2", "TEA-C-01", 10, 15),
        ("D2", "TEA-C-01", 5, 2),
        ("D3", "TEA-A-01", 20, 10),
        ("D4", "TEA-A-01", 10, 8),
        ("D4", "GIFT-CUP", 2, 8),  # a gift-only product is never ordered
    ]
    records = [
        catalog_services.HistoryRecord(
            external_id=f"H{number}",
            dealer_id=dealers[code].pk,
            product_id=products[sku].pk,
            quantity=quantity,
            amount=products[sku].list_price * quantity,
            date=_today() - datetime.timedelta(days=days_ago),
        )
        for number, (code, sku, quantity, days_ago) in enumerate(rows)
    ]
    catalog_services.sales_history_record(records=records)
    carts = defaultdict(lambda: defaultdict(int))
    for code, sku, quantity, days_ago in rows:
        if days_ago <= DAYS and sku != "GIFT-CUP":
            carts[(code, days_ago)][sku] += quantity
    draft = services.promotion_save(data=_draft_definition(), by=None).version
    _approve(_percent_definition())
    _approve(_credit_definition())
    return {"dealers": dealers, "draft": draft, "carts": carts}


def _backtest(django_capture_on_commit_callbacks, version, days=DAYS) -> BacktestRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.backtest_start(user=None, version=version, days=days)
    run.refresh_from_db()
    assert run.status == BacktestRun.Status.DONE, run.error
    return run


def _by_code(run: BacktestRun) -> dict[str, dict]:
    return {figures["code"]: figures for figures in run.result["promotions"]}


def _ledger() -> dict[str, dict]:
    """What the placed orders recorded, per promotion: ledger rows and gift lines."""
    figures = {}
    rows = (
        PromotionApplication.objects.filter(status="active")
        .values("promotion__code")
        .annotate(
            orders=Count("pk"),
            applications=Sum("times"),
            discount=Sum("discount"),
            gift_cost=Sum("gift_cost"),
            expense_credit=Sum("expense_credit"),
            dealers_reached=Count("dealer", distinct=True),
        )
    )
    for row in rows:
        code = row.pop("promotion__code")
        row["cost"] = row["discount"] + row["gift_cost"] + row["expense_credit"]
        row["gift_units"] = 0
        figures[code] = row
    gifts = (
        OrderLine.objects.filter(is_gift=True)
        .values("gift_version__promotion__code")
        .annotate(units=Sum("quantity"))
    )
    for row in gifts:
        figures[row["gift_version__promotion__code"]]["gift_units"] = row["units"]
    return figures


def _place_for_real(scene, monkeypatch, approve_draft: bool = True) -> dict:
    """Approve the draft and place every cart as a real order on its own day, in a
    transaction that is rolled back; return what the ledger recorded."""
    zone = timezone.get_current_timezone()
    with transaction.atomic():
        if approve_draft:
            services.promotion_submit(code="P-DRAFT", by=None)
            services.promotion_approve(code="P-DRAFT", by=None)
        for (code, days_ago), lines in sorted(
            scene["carts"].items(), key=lambda item: (-item[0][1], item[0][0])
        ):
            day = _today() - datetime.timedelta(days=days_ago)
            noon = datetime.datetime.combine(day, datetime.time(12), zone)
            with monkeypatch.context() as patch:
                patch.setattr(timezone, "now", lambda noon=noon: noon)
                order_services.order_place(
                    dealer=scene["dealers"][code],
                    lines=[(sku, n) for sku, n in sorted(lines.items()) if n > 0],
                    idempotency_key=f"{code}-{days_ago}",
                )
        recorded = _ledger()
        transaction.set_rollback(True)
    return recorded


def _assert_same(run: BacktestRun, recorded: dict) -> None:
    replayed = _by_code(run)
    for code, figures in replayed.items():
        real = recorded.get(code)
        if real is None:
            assert figures["orders"] == 0, code
            assert Decimal(figures["cost"]) == ZERO, code
            continue
        for key in COUNTS:
            assert figures[key] == real[key], (code, key, figures[key], real[key])
        for key in MONEY:
            assert Decimal(figures[key]) == real[key], (code, key)
    assert set(recorded) <= set(replayed)


def test_backtest_equals_placing_the_same_orders_for_real(
    scene, monkeypatch, django_capture_on_commit_callbacks
):
    """Per promotion, the back-test's applications, gifts and their cost, discounts and
    expense credit are what placing each day's cart as a real order records."""
    # given a back-test of the draft over the last 30 days
    run = _backtest(django_capture_on_commit_callbacks, scene["draft"])
    figures = _by_code(run)

    # when the draft is approved and the same carts are placed for real
    recorded = _place_for_real(scene, monkeypatch)

    # then the figures agree, and every kind of figure was exercised
    _assert_same(run, recorded)
    assert [p["code"] for p in run.result["promotions"]] == [
        "P-DRAFT",
        "P-PCT",
        "P-CREDIT",
    ]
    draft = figures["P-DRAFT"]
    assert draft["role"] == "draft"
    assert draft["applications"] == 2 + 2  # D1 on −20, D2 (25 after the return) on −15
    assert draft["gift_units"] == 4
    assert draft["gifts"] == {"GIFT-CUP": 4}
    assert Decimal(draft["gift_cost"]) == Decimal("60.00")
    assert draft["qualifying_dealers"] == 2  # D3 is silver, D4 too new
    assert draft["dealers_reached"] == 2
    assert Decimal(draft["cost"]) == Decimal(draft["gift_cost"])
    assert draft["budget"] == "50000.00"
    assert draft["within_budget"] is True
    assert Decimal(figures["P-PCT"]["discount"]) > 0
    assert Decimal(figures["P-CREDIT"]["expense_credit"]) > 0
    assert figures["P-PCT"]["qualifying_dealers"] == 4
    assert run.result["carts"] == len(scene["carts"]) + 0
    assert run.result["lines_skipped"] == 1  # the gift-only row
    # nothing of the scratch placement is left, and the draft is still a draft
    assert not PromotionApplication.objects.exists()
    scene["draft"].refresh_from_db()
    assert scene["draft"].status == PromotionVersion.Status.DRAFT


def test_an_exclusive_competitor_changes_the_draft_as_the_engine_does(
    scene, monkeypatch, django_capture_on_commit_callbacks
):
    """An exclusive promotion of higher priority takes the Tea A lines of big carts:
    the draft loses those gifts in the back-test exactly as in real orders."""
    before = _by_code(_backtest(django_capture_on_commit_callbacks, scene["draft"]))
    _approve(
        _percent_definition(
            code="P-EXCL",
            name="Tea A exclusive",
            priority=90,
            exclusive=True,
            condition={
                "type": "quantity",
                "items": {"categories": ["TEA-A"]},
                "min": 20,
            },
            reward={"type": "percent_off", "percent": "3"},
        )
    )

    run = _backtest(django_capture_on_commit_callbacks, scene["draft"])

    after = _by_code(run)
    assert after["P-EXCL"]["exclusive"] is True
    assert after["P-EXCL"]["orders"] == 3  # D1 −20, D2 −15, D3 −10
    assert before["P-DRAFT"]["applications"] == 4
    assert after["P-DRAFT"]["applications"] == 0  # both its carts were taken
    assert after["P-DRAFT"]["qualifying_dealers"] == 2  # still eligible, not reached
    _assert_same(run, _place_for_real(scene, monkeypatch))


def test_history_windows_are_taken_on_each_carts_date(scene):
    """D1 qualifies on day −20 (¥1,040 of Tea C in 30 days) and not on day −5 (¥240),
    as ``dealer_history_totals`` says on each date."""
    from catalog import selectors as catalog_selectors

    dealer = scene["dealers"]["D1"]
    history = DealerHistory(
        dealer_ids=[dealer.pk],
        requirements={("category", "TEA-C", 30)},
        first=_today() - datetime.timedelta(days=DAYS),
        last=_today() - datetime.timedelta(days=1),
        product_keys=catalogue()[0].keys,
    )
    for days_ago in range(1, DAYS + 1):
        on = _today() - datetime.timedelta(days=days_ago)
        live = catalog_selectors.dealer_history_totals(
            dealer_id=dealer.pk, requirements={("category", "TEA-C", 30)}, on=on
        )[("category", "TEA-C", 30)]
        replayed = history.totals(dealer.pk, on)[("category", "TEA-C", 30)]
        assert (replayed.quantity, replayed.amount) == (live.quantity, live.amount)


def test_the_task_updates_progress_chunk_by_chunk(
    scene, monkeypatch, django_capture_on_commit_callbacks
):
    """With one dealer per chunk, the run row's progress is updated after each chunk
    and ends at the number of carts."""
    monkeypatch.setattr(replayer, "CHUNK", 1)
    with CaptureQueriesContext(connection) as queries:
        run = _backtest(django_capture_on_commit_callbacks, scene["draft"])
    updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE")
        and "promos_backtestrun" in q["sql"]
        and "progress_done" in q["sql"]
    ]
    assert len(updates) == 1 + 4 + 1  # the total, one per dealer, the end
    assert run.progress_done == run.progress_total == len(scene["carts"])
    assert run.progress_percent == 100
    assert run.started_at
    assert run.finished_at


def test_replay_reports_progress_from_zero_to_the_total(scene):
    calls = []
    backtest.replay(
        version=scene["draft"],
        first=_today() - datetime.timedelta(days=DAYS),
        last=_today() - datetime.timedelta(days=1),
        progress=lambda done, total: calls.append((done, total)),
    )
    total = len(scene["carts"])
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


def test_a_failing_run_ends_failed_with_a_message(
    scene, django_capture_on_commit_callbacks
):
    """A definition the engine cannot read fails the run visibly, never stuck running."""
    PromotionVersion.objects.filter(pk=scene["draft"].pk).update(
        definition={"code": "P-DRAFT"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.backtest_start(user=None, version=scene["draft"], days=DAYS)
    run.refresh_from_db()
    assert run.status == BacktestRun.Status.FAILED
    assert "DefinitionError" in run.error
    assert run.finished_at is not None
    assert run.is_finished


def test_a_run_is_only_started_once(scene, django_capture_on_commit_callbacks):
    run = _backtest(django_capture_on_commit_callbacks, scene["draft"])
    assert backtest.backtest_run(run_id=run.pk) is None
    run.refresh_from_db()
    assert run.status == BacktestRun.Status.DONE


def test_the_run_is_queued_after_commit_for_the_last_whole_days(scene):
    """Nothing runs before the transaction commits; the period ends yesterday."""
    run = services.backtest_start(user=None, version=scene["draft"], days=DAYS)
    run.refresh_from_db()
    assert run.status == BacktestRun.Status.QUEUED
    assert run.period_end == _today() - datetime.timedelta(days=1)
    assert run.period_start == _today() - datetime.timedelta(days=DAYS)
    assert run.progress_percent == 0


@pytest.mark.parametrize("days", [0, 366, "90", True])
def test_days_must_be_a_whole_number_from_1_to_365(scene, days):
    with pytest.raises(InvalidInput):
        services.backtest_start(user=None, version=scene["draft"], days=days)
    assert not BacktestRun.objects.exists()


def test_only_a_draft_or_submitted_version_is_back_tested(scene):
    approved = PromotionVersion.objects.get(promotion__code="P-PCT")
    with pytest.raises(Conflict):
        services.backtest_start(user=None, version=approved, days=DAYS)


def _staff(world, org_code, username, *, manager=True):
    rep = SalesRepFactory(sales_org=world["orgs"][org_code], user__username=username)
    name = groups.SALES_MANAGER if manager else groups.SALES_REP
    rep.user.groups.add(Group.objects.get(name=name))
    return rep.user


def test_only_staff_of_the_promotions_org_start_a_back_test(
    world, scene, django_capture_on_commit_callbacks
):
    """A manager of SOUTH cannot back-test an EAST promotion; EAST staff can."""
    with pytest.raises(Forbidden):
        services.backtest_start(
            user=_staff(world, "SOUTH", "mgr-south"), version=scene["draft"], days=9
        )
    east_rep = _staff(world, "EAST", "rep-east", manager=False)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.backtest_start(user=east_rep, version=scene["draft"], days=9)
    assert run.requested_by == east_rep
