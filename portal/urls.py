"""Root URLs. The Wagtail catch-all comes last."""

from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.v1 import api
from portal.views import account, auth, catalog, health, home, language

portal_patterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("account/", account.account, name="account"),
    path("account/users/", account.account_user_add, name="account-user-add"),
    path(
        "account/password/", auth.PasswordChangeView.as_view(), name="account-password"
    ),
    path("language/", language.language, name="language"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("catalog/c/<str:category>/", catalog.catalog, name="catalog-category"),
    path("catalog/p/<str:sku>/", catalog.product, name="catalog-product"),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", include((portal_patterns, "portal"))),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("cms/admin/", include(wagtailadmin_urls)),
    path("cms/documents/", include(wagtaildocs_urls)),
    path("cms/", include(wagtail_urls)),
]
