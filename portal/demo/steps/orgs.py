"""Tiers, regions and the sales organisation tree."""

from dealers.models import Region, SalesOrg, Tier
from portal.demo import data
from portal.demo.context import SeedContext


def seed_orgs(ctx: SeedContext) -> None:
    """Tiers, regions and the sales organisation: company → regions → branches."""
    ctx.tiers = {
        t.code: t
        for t in Tier.objects.bulk_create(
            Tier(code=s.code, name=s.name, name_en=s.name_en, rank=s.rank)
            for s in data.TIERS
        )
    }
    ctx.regions = {
        r.code: r
        for r in Region.objects.bulk_create(
            Region(code=code, name=name, name_en=name_en)
            for code, name, name_en in data.REGIONS
        )
    }
    code, name, name_en = data.COMPANY
    root = SalesOrg.add_root(code=code, name=name, name_en=name_en)
    ctx.orgs = {code: root}
    for code, name, name_en in data.REGIONS_ORG:
        root = SalesOrg.objects.get(pk=root.pk)
        ctx.orgs[code] = root.add_child(code=code, name=name, name_en=name_en)
    for branch in data.BRANCHES:
        parent = SalesOrg.objects.get(pk=ctx.orgs[branch.parent].pk)  # fresh numchild
        ctx.orgs[branch.code] = parent.add_child(
            code=branch.code, name=branch.name, name_en=branch.name_en
        )
    # Sorted inserts may renumber siblings' paths: reload so later steps see real ones.
    ctx.orgs = {org.code: org for org in SalesOrg.objects.all()}
    ctx.count("tiers", len(ctx.tiers))
    ctx.count("regions", len(ctx.regions))
    ctx.count("sales orgs", len(ctx.orgs))


def flush_orgs() -> None:
    SalesOrg.objects.all().delete()
    Tier.objects.all().delete()
    Region.objects.all().delete()
