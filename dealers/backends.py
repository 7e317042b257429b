"""Log in with a username or a dealer user's phone number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from dealers import identity

DEALER_JOINS = (
    "dealer_user__dealer__tier",
    "dealer_user__dealer__region",
    "dealer_user__dealer__sales_org",
)


class UsernameOrPhoneBackend(ModelBackend):
    """ModelBackend that also accepts the phone number of a dealer user (in any
    format: ``+86 139-0000-0009`` finds ``13900000009``)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user_model = get_user_model()
        user = identity.login_user(username)
        if user is None:
            # Same cost as a real check, so timing does not reveal which users exist.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The logged-in user with their dealer login, dealer, tier, region and org:
        one query per request, which ``DealerMiddleware`` then reads without another."""
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related(*DEALER_JOINS).get(
                pk=user_id
            )
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
