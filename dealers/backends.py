"""Log in with a username or a dealer user's phone number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrPhoneBackend(ModelBackend):
    """ModelBackend that also accepts the phone number of a dealer user."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user_model = get_user_model()
        identifier = username.strip()
        user = (
            user_model._default_manager.filter(username__iexact=identifier).first()
            or user_model._default_manager.filter(dealer_user__phone=identifier).first()
        )
        if user is None:
            # Same cost as a real check, so timing does not reveal which users exist.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
