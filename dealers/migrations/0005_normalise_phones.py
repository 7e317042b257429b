"""Phone logins stored in one form: "138 0000 0001", "+86 138-0000-0001" and
"13800000001" become "13800000001" (Chinese numbers as their 11 national digits,
others in E.164), as dealers.identity.phone_normalise stores new ones. A number that
is not valid, or whose normal form another login already has, is left as it was
(the second login still works by its old spelling; the admin sees both)."""

import phonenumbers
from django.db import migrations


def _normalise(raw):
    text = (raw or "").strip()
    if not text or not any(ch.isdigit() for ch in text):
        return None
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code == 86:
        return phonenumbers.national_significant_number(number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phones(apps, schema_editor):
    DealerUser = apps.get_model("dealers", "DealerUser")
    taken = set(
        DealerUser.objects.exclude(phone=None).values_list("phone", flat=True)
    )
    for dealer_user in DealerUser.objects.exclude(phone=None).order_by("pk"):
        phone = _normalise(dealer_user.phone)
        if phone is None or phone == dealer_user.phone or phone in taken:
            continue
        taken.discard(dealer_user.phone)
        taken.add(phone)
        dealer_user.phone = phone
        dealer_user.save(update_fields=["phone"])


class Migration(migrations.Migration):
    dependencies = [
        ('dealers', '0004_merge_0003_h13b_verbose_names_0003_h21_invoices'),
    ]

    operations = [
        migrations.RunPython(normalise_phones, migrations.RunPython.noop),
    ]
