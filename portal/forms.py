"""Forms of the dealer-facing pages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
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
