"""Writes about dealers and the sales organisation."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from common import versions
from common.errors import Conflict, Forbidden, InvalidInput, NotFound
from common.trees import tree_node_upsert
from dealers import groups, identity
from dealers.models import (
    Dealer,
    DealerUser,
    DealerUserChange,
    InvoicingDetails,
    Region,
    SalesOrg,
    SalesRep,
    Tier,
)


@transaction.atomic
def sales_org_upsert(
    *, code: str, name: str, parent: str | None, name_en: str = ""
) -> tuple[SalesOrg, bool]:
    """Create or replace a sales org; moving it under another parent moves its subtree."""
    versions.bump(versions.ORGS)
    return tree_node_upsert(
        SalesOrg, code=code, name=name, parent=parent, name_en=name_en
    )


def tier_ensure(*, code: str) -> Tier:
    """The tier with this code, created with the code as its name when new."""
    tier, _created = Tier.objects.get_or_create(
        code=code, defaults={"name": code, "name_en": code}
    )
    return tier


def region_ensure(*, code: str) -> Region:
    """The region with this code, created with the code as its name when new."""
    region, _created = Region.objects.get_or_create(
        code=code, defaults={"name": code, "name_en": code}
    )
    return region


@transaction.atomic
def dealer_upsert(
    *,
    code: str,
    name: str,
    sales_org: str,
    tier: str,
    region: str,
    customer_since: date,
    credit_limit: Decimal,
    payment_terms_days: int = 30,
    active: bool = True,
) -> tuple[Dealer, bool]:
    """Create or replace a dealer from the ERP's master data."""
    if credit_limit < 0:
        raise InvalidInput(
            _("The credit limit cannot be negative."), code="invalid_credit_limit"
        )
    org = SalesOrg.objects.filter(code=sales_org).first()
    if org is None:
        raise InvalidInput(
            _("Unknown sales organisation %(code)s.") % {"code": sales_org},
            code="unknown_sales_org",
        )
    dealer, created = Dealer.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "sales_org": org,
            "tier": tier_ensure(code=tier),
            "region": region_ensure(code=region),
            "customer_since": customer_since,
            "credit_limit": credit_limit,
            "payment_terms_days": payment_terms_days,
            "active": active,
        },
    )
    return dealer, created


def _phone_or_refuse(raw: str) -> str:
    """The number as stored (identity.phone_normalise), so that "138 0000 0001",
    "+8613800000001" and "13800000001" are one login; 422 when it is no number."""
    phone = identity.phone_normalise(raw)
    if phone is None:
        raise InvalidInput(
            _("That is not a valid phone number."),
            code="invalid_phone",
            errors=[{"field": "phone", "message": "not a valid phone number"}],
        )
    return phone


@transaction.atomic
def dealer_user_upsert(
    *,
    dealer: Dealer,
    username: str,
    password: str | None = None,
    phone: str | None = None,
    language: str = "zh-hans",
    role: str | None = None,
) -> tuple[DealerUser, bool]:
    """Create or replace a portal login of ``dealer``. Without a ``role`` a new
    login is a viewer (least privilege) and an existing one keeps its role."""
    if phone:
        phone = _phone_or_refuse(phone)
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        existing = DealerUser.objects.filter(user=user).first()
        if user.is_staff or existing is None or existing.dealer_id != dealer.pk:
            raise Conflict(_("That username is taken."), code="username_taken")
    if (
        phone
        and DealerUser.objects.filter(phone=phone)
        .exclude(user__username=username)
        .exists()
    ):
        raise Conflict(_("That phone number is already in use."), code="phone_taken")
    created = user is None
    if created:
        user = user_model(username=username)
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    defaults = {"dealer": dealer, "phone": phone or None, "language": language}
    if role is not None:
        defaults["role"] = role
    dealer_user, _created = DealerUser.objects.update_or_create(
        user=user,
        defaults=defaults,
        create_defaults={"role": DealerUser.Role.VIEWER, **defaults},
    )
    return dealer_user, created


def dealer_user_add(
    *, by: DealerUser, username: str, password: str, role: str, phone: str = ""
) -> DealerUser:
    """An owner adds a buyer or viewer login to their own dealer."""
    if not by.can_manage_users:
        raise Forbidden(_("Only the dealer's owner can add users."), code="not_owner")
    if role not in {DealerUser.Role.BUYER, DealerUser.Role.VIEWER}:
        raise InvalidInput(
            _("A new user can be a buyer or a viewer."), code="invalid_role"
        )
    if get_user_model().objects.filter(username=username).exists():
        raise Conflict(_("That username is taken."), code="username_taken")
    dealer_user, _created = dealer_user_upsert(
        dealer=by.dealer,
        username=username,
        password=password,
        phone=phone or None,
        language=by.language,
        role=role,
    )
    return dealer_user


@transaction.atomic
def dealer_user_set_language(*, dealer_user: DealerUser, language: str) -> DealerUser:
    """Remember the language a dealer user reads."""
    dealer_user.language = language
    dealer_user.save(update_fields=["language"])
    return dealer_user


@transaction.atomic
def sales_rep_create(
    *,
    username: str,
    password: str,
    sales_org: SalesOrg,
    manager: bool = False,
    first_name: str = "",
) -> SalesRep:
    """A staff login attached to an org; in the manager group when ``manager``."""
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=username, password=password, is_staff=True, first_name=first_name
    )
    user.groups.add(
        Group.objects.get(name=groups.SALES_MANAGER if manager else groups.SALES_REP)
    )
    return SalesRep.objects.create(user=user, sales_org=sales_org)


INVOICING_FIELDS = (
    "company_name",
    "taxpayer_number",
    "bank",
    "bank_account",
    "address",
    "phone",
)


@transaction.atomic
def invoicing_details_set(*, dealer_user: DealerUser, **data) -> InvoicingDetails:
    """The dealer's owner or a buyer keeps what its VAT invoices are made out to; a
    malformed taxpayer number is refused with the reason, field by field."""
    from django.core.exceptions import ValidationError

    if not dealer_user.can_order:
        raise Forbidden(
            _("Only the dealer's owner and buyers can change invoicing details."),
            code="not_allowed",
        )
    details = InvoicingDetails.objects.filter(dealer=dealer_user.dealer).first()
    details = details or InvoicingDetails(dealer=dealer_user.dealer)
    for name in INVOICING_FIELDS:
        value = str(data.get(name, "") or "").strip()
        if name == "taxpayer_number":
            value = value.replace(" ", "").upper()
        setattr(details, name, value)
    details.updated_by = dealer_user.user
    try:
        details.full_clean(exclude=["dealer", "updated_by"])
    except ValidationError as error:
        raise InvalidInput(
            _("Some invoicing details are not valid."),
            code="invalid_invoicing_details",
            errors=[
                {"field": field, "message": str(message)}
                for field, messages in error.message_dict.items()
                for message in messages
            ],
        ) from None
    details.save()
    return details


@transaction.atomic
def dealer_user_change(
    *,
    by: DealerUser,
    dealer_user_id: int,
    role: str | None = None,
    active: bool | None = None,
) -> DealerUser:
    """The dealer's owner changes another login's role or switches it off (it can no
    longer log in) or on again. Never its own login, never the dealer's last active
    owner; every change is recorded (``DealerUserChange``)."""
    if not by.can_manage_users:
        raise Forbidden(
            _("Only the dealer's owner can manage users."), code="not_owner"
        )
    target = (
        DealerUser.objects.select_for_update()
        .select_related("user")
        .filter(pk=dealer_user_id, dealer_id=by.dealer_id)
        .first()
    )
    if target is None:
        raise NotFound(_("No such user of this dealer."), code="unknown_user")
    if target.pk == by.pk:
        raise InvalidInput(
            _("You cannot change your own login here."), code="own_login"
        )
    if role is not None and role not in DealerUser.Role.values:
        raise InvalidInput(_("Unknown role."), code="invalid_role")
    losing_owner = target.role == DealerUser.Role.OWNER and (
        (role is not None and role != DealerUser.Role.OWNER) or active is False
    )
    if losing_owner:
        owners = (
            DealerUser.objects.select_for_update()
            .filter(
                dealer_id=by.dealer_id,
                role=DealerUser.Role.OWNER,
                user__is_active=True,
            )
            .exclude(pk=target.pk)
            .count()
        )
        if owners == 0:
            raise Conflict(
                _("The dealer needs an active owner: make another login owner first."),
                code="last_owner",
            )
    changes = []
    if role is not None and role != target.role:
        changes.append(
            DealerUserChange(
                dealer_user=target,
                kind=DealerUserChange.Kind.ROLE,
                before=target.role,
                after=role,
                by=by.user,
            )
        )
        target.role = role
        target.save(update_fields=["role"])
    if active is not None and active != target.user.is_active:
        changes.append(
            DealerUserChange(
                dealer_user=target,
                kind=DealerUserChange.Kind.REACTIVATED
                if active
                else DealerUserChange.Kind.DEACTIVATED,
                by=by.user,
            )
        )
        target.user.is_active = active
        target.user.save(update_fields=["is_active"])
    DealerUserChange.objects.bulk_create(changes)
    return target
