import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from dealers.models import Dealer, DealerUser, Region, SalesOrg, SalesRep, Tier


class SalesOrgFactory(factory.django.DjangoModelFactory):
    """A sales org; pass ``parent`` to nest it (treebeard needs add_child)."""

    class Meta:
        model = SalesOrg

    code = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.LazyAttribute(lambda o: f"组织 {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Org {o.code}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is not None:
            return parent.add_child(**kwargs)
        return model_class.add_root(**kwargs)


TIER_NAMES = {"gold": ("金牌", "Gold"), "silver": ("银牌", "Silver")}


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier
        django_get_or_create = ["code"]

    code = "silver"
    # named as a dealer reads them (a page that shows "gold" shows a code)
    name = factory.LazyAttribute(lambda o: TIER_NAMES.get(o.code, (o.code,))[0])
    name_en = factory.LazyAttribute(lambda o: TIER_NAMES.get(o.code, (o.code,))[-1])


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "east"
    name = "华东"
    name_en = "East"


class DealerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dealer

    code = factory.Sequence(lambda n: f"D{n:05d}")
    name = factory.Sequence(lambda n: f"经销商 {n}")
    sales_org = factory.SubFactory(SalesOrgFactory)
    tier = factory.SubFactory(TierFactory)
    region = factory.SubFactory(RegionFactory)
    customer_since = datetime.date(2020, 1, 1)
    credit_limit = Decimal("100000.00")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-1")


class DealerUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealerUser

    user = factory.SubFactory(UserFactory)
    dealer = factory.SubFactory(DealerFactory)
    role = DealerUser.Role.OWNER


class SalesRepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesRep

    user = factory.SubFactory(UserFactory, is_staff=True)
    sales_org = factory.SubFactory(SalesOrgFactory)
