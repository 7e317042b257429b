"""Forms of the dealer-facing pages."""

from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.utils.translation import gettext_lazy as _

from dealers.models import DealerUser


class LoginForm(AuthenticationForm):
    """Username or phone number, and password."""

    username = forms.CharField(
        label=_("Username or phone"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "text"}
        ),
    )
    error_messages = {
        "invalid_login": _(
            "The username, phone number or password is not right. Please try again."
        ),
        "inactive": _("This login has been switched off. Please ask your sales rep."),
    }


class CatalogSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or SKU"), required=False, max_length=100
    )


class DealerUserAddForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, min_length=8
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (DealerUser.Role.BUYER, DealerUser.Role.BUYER.label),
            (DealerUser.Role.VIEWER, DealerUser.Role.VIEWER.label),
        ],
    )


# --- Cart, checkout, orders ------------------------------------------------------------

MAX_QUANTITY = 100_000


class CartFillForm(forms.Form):
    """ "Order now": add what earns a promotion."""

    promotion = forms.CharField(max_length=40)
    # opened from a push: fill only when the cart does not earn it yet (a reload
    # adds nothing more)
    ensure = forms.BooleanField(required=False)


class CartFillUndoForm(forms.Form):
    """Undo "order now": the lines it added, as "SKU:quantity,SKU:quantity"."""

    lines = forms.CharField(max_length=2000)

    def clean_lines(self) -> dict[str, int]:
        lines: dict[str, int] = {}
        for part in self.cleaned_data["lines"].split(","):
            sku, _sep, quantity = part.strip().rpartition(":")
            if not sku or not quantity.isdigit():
                raise forms.ValidationError(_("That undo is no longer valid."))
            lines[sku] = lines.get(sku, 0) + int(quantity)
        return lines


class CartAddForm(forms.Form):
    """Add units of a product to the cart (from the catalog, a promotion, a hint)."""

    sku = forms.CharField(label=_("SKU"), max_length=40)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1
    )
    next = forms.CharField(required=False, max_length=500)


class CartQuantityForm(forms.Form):
    """A stepper: the typed quantity, moved by −1 / +1 when a button was tapped."""

    sku = forms.CharField(label=_("SKU"), max_length=40)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=0, max_value=MAX_QUANTITY
    )
    delta = forms.IntegerField(required=False, min_value=-1, max_value=1)

    def clean(self):
        data = super().clean()
        if "quantity" in data:
            data["quantity"] = max(data["quantity"] + (data.get("delta") or 0), 0)
        return data


class CartRemoveForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=40)


class GiftChoiceForm(forms.Form):
    """A gift option by its index, or "decline" for no gift."""

    DECLINE = "decline"

    promotion = forms.CharField(max_length=40)
    option = forms.CharField(label=_("Gift"), max_length=10)

    def clean_option(self):
        value = self.cleaned_data["option"]
        if value == self.DECLINE:
            return None
        if not value.isdigit():
            raise forms.ValidationError(_("Pick one of the gifts."))
        return int(value)


class ExpenseCreditForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Expense credit to use"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


class QuickOrderForm(forms.Form):
    text = forms.CharField(
        label=_("SKU and quantity, one product a line"),
        max_length=20_000,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "placeholder": "TEA-A-01 10\nTEA-C-01 5",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class CheckoutForm(forms.Form):
    """Review and submit. The key makes a double tap one order; ``expected_total`` and
    ``seen`` are what the dealer reviewed, so a changed quote is never placed silently."""

    SALT = "portal.checkout.seen"

    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    expected_total = forms.DecimalField(
        max_digits=14, decimal_places=2, widget=forms.HiddenInput
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Delivery notes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _("Gate, unloading time, contact on site…"),
            }
        ),
    )

    @classmethod
    def sign(cls, snapshot: dict) -> str:
        return signing.dumps(snapshot, salt=cls.SALT, compress=True)

    def clean_seen(self):
        value = self.cleaned_data["seen"]
        if not value:
            return None
        try:
            return signing.loads(value, salt=self.SALT)
        except signing.BadSignature:
            return None


class OrderFilterForm(forms.Form):
    q = forms.CharField(label=_("Order number"), required=False, max_length=32)
    status = forms.ChoiceField(required=False, choices=())

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *statuses]


def order_cancel_form(goods_lines, data=None) -> forms.Form:
    """One field per line still open: how many units to cancel. Each starts at what
    is still open, so the first preview shows something; the dealer lowers it."""
    fields = {}
    for line in goods_lines:
        if line.open_quantity <= 0:
            continue
        fields[f"line_{line.pk}"] = forms.IntegerField(
            label=line.product.display_name,
            min_value=0,
            max_value=line.open_quantity,
            initial=line.open_quantity,
            required=False,
        )
    form_class = type("OrderCancelForm", (forms.Form,), fields)
    form = form_class(data)
    form.lines = {f"line_{line.pk}": line for line in goods_lines}
    return form


class DatePickerInput(forms.DateInput):
    """A native date picker: its value is ISO (2026-12-01) whatever the language,
    as browsers accept nothing else for ``type=date``."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StatementPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DatePickerInput)
    end = forms.DateField(label=_("To"), required=False, widget=DatePickerInput)


class StatementResponseForm(forms.Form):
    start = forms.DateField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[("confirm", _("Confirm")), ("dispute", _("Dispute"))]
    )
    note = forms.CharField(
        label=_("What is wrong?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PaymentStepForm(forms.Form):
    """One instalment of an order's payment plan (a row of the office form)."""

    DUE = [
        ("order", _("on order")),
        ("shipment", _("on shipment")),
        ("delivery", _("on delivery")),
    ]

    percent = forms.DecimalField(
        label=_("Share %"), min_value=Decimal("0.01"), max_value=100, decimal_places=2
    )
    due = forms.ChoiceField(label=_("Due"), choices=DUE, initial="shipment")
    days = forms.IntegerField(label=_("+ days"), min_value=0, max_value=365, initial=0)


PaymentPlanFormSet = forms.formset_factory(
    PaymentStepForm, extra=1, min_num=1, max_num=6, validate_min=True, validate_max=True
)


class InvoicingDetailsForm(forms.Form):
    """What the dealer's VAT invoices are made out to (the service validates)."""

    company_name = forms.CharField(label=_("Company name"), max_length=200)
    taxpayer_number = forms.CharField(
        label=_("Taxpayer number"),
        max_length=40,
        help_text=_("The 18-character unified social credit code."),
    )
    bank = forms.CharField(label=_("Bank"), max_length=120, required=False)
    bank_account = forms.CharField(
        label=_("Bank account"), max_length=40, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class InvoiceRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Invoice"),
        choices=[
            ("vat_special", _("VAT special invoice (专票)")),
            ("vat_normal", _("VAT normal invoice (普票)")),
        ],
        initial="vat_special",
    )


class AllocateForm(forms.Form):
    """The rep matches unallocated money to one open receivable."""

    receivable = forms.CharField(max_length=40)
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
