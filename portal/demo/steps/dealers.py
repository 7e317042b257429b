"""Dealers spread over the branches, and the reps who serve them."""

import math
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q

from dealers import groups
from dealers.models import Dealer, SalesRep
from portal.demo import data
from portal.demo.context import SeedContext
from portal.demo.helpers import BATCH, TIER_SPECS, chinese_name

DEALERS_PER_REP = 40


def _dealer_name(rng, branch: data.Branch, taken: set[str]) -> str:
    for _attempt in range(5):
        name = (
            rng.choice(branch.cities)
            + rng.choice(data.TRADE_NAMES)
            + rng.choice(data.BUSINESS_KINDS)
            + data.COMPANY_SUFFIX
        )
        if name not in taken:
            break
    taken.add(name)
    return name


def seed_dealers(ctx: SeedContext) -> None:
    """Dealers spread over branches and tiers, and the reps of each branch serving them."""
    rng, today = ctx.rng, ctx.today
    branches = {b.code: b for b in data.BRANCHES}
    tier_specs = TIER_SPECS
    branch_weights = [b.weight for b in data.BRANCHES]
    tier_weights = [t.share for t in data.TIERS]
    taken: set[str] = set()
    dealers = []
    for index in ctx.bar(range(ctx.dealers), desc="dealers", unit="dealer"):
        branch = rng.choices(data.BRANCHES, branch_weights)[0]
        tier = rng.choices(data.TIERS, tier_weights)[0]
        name = _dealer_name(rng, branch, taken)
        tenure_days = rng.randint(365, 12 * 365)
        credit = rng.randint(*tier.credit) * 10_000
        terms = rng.choice(tier.terms)
        active = rng.random() > 0.03
        code = f"D{index + 1:05d}"
        # The two demo dealers, after their draws so the others do not shift.
        if code == data.DEMO_DEALER:
            branch, tier = branches["EAST-SH"], tier_specs["gold"]
            name, tenure_days, credit, terms, active = (
                data.DEMO_DEALER_NAME, 6 * 365 + 40, 1_500_000, 60, True,
            )  # fmt: skip
        elif code == data.OTHER_DEALER:
            branch, tier = branches["EAST-HZ"], tier_specs["silver"]
            name, tenure_days, credit, terms, active = (
                data.OTHER_DEALER_NAME, 2 * 365 + 100, 300_000, 30, True,
            )  # fmt: skip
        dealers.append(
            Dealer(
                code=code,
                name=name,
                sales_org=ctx.orgs[branch.code],
                tier=ctx.tiers[tier.code],
                region=ctx.regions[branch.region],
                customer_since=today - timedelta(days=tenure_days),
                credit_limit=Decimal(credit),
                payment_terms_days=terms,
                active=active,
            )
        )
    Dealer.objects.bulk_create(dealers, batch_size=BATCH)
    ctx.dealer_list = dealers

    by_branch: dict[str, list[Dealer]] = {b.code: [] for b in data.BRANCHES}
    for dealer in dealers:
        by_branch[dealer.sales_org.code].append(dealer)
    user_model = get_user_model()
    users, reps = [], []
    for branch in data.BRANCHES:
        for number in range(
            1, max(1, math.ceil(len(by_branch[branch.code]) / DEALERS_PER_REP)) + 1
        ):
            user = user_model(
                username=f"{branch.code.lower()}-{number:02d}",
                first_name=chinese_name(rng),
                is_staff=True,
            )
            user.set_unusable_password()
            users.append(user)
            reps.append(
                SalesRep(
                    user=user,
                    sales_org=ctx.orgs[branch.code],
                    phone=f"139{rng.randint(0, 99_999_999):08d}",
                )
            )
    user_model.objects.bulk_create(users, batch_size=BATCH)
    SalesRep.objects.bulk_create(reps, batch_size=BATCH)
    rep_group = Group.objects.get(name=groups.SALES_REP)
    user_model.groups.through.objects.bulk_create(
        [user_model.groups.through(user=u, group=rep_group) for u in users],
        batch_size=BATCH,
    )
    ctx.reps = {code: [] for code in by_branch}
    for rep in reps:
        ctx.reps[rep.sales_org.code].append(rep)
    links = [
        Dealer.reps.through(
            dealer=dealer, salesrep=ctx.reps[code][index // DEALERS_PER_REP]
        )
        for code, branch_dealers in by_branch.items()
        for index, dealer in enumerate(branch_dealers)
    ]
    Dealer.reps.through.objects.bulk_create(links, batch_size=BATCH)
    ctx.count("dealers", len(dealers))
    ctx.count("sales reps", len(reps))


def flush_dealers() -> None:
    get_user_model().objects.filter(
        Q(sales_rep__isnull=False) | Q(dealer_user__isnull=False)
    ).delete()
    Dealer.objects.all().delete()
