"""Root URLs. The Wagtail catch-all comes last."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as static_serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.v1 import api
from notifications.telegram import webhook as telegram_webhook
from portal.ops import metrics as ops_metrics
from portal.views import (
    account,
    agreement,
    auth,
    cart,
    catalog,
    checkout,
    health,
    home,
    invoices,
    language,
    orders,
    payments,
    promotions,
    pwa,
)

portal_patterns = [
    path("", home.home, name="home"),
    path("home/offers/", home.home_offers, name="home-offers"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("offline/", pwa.offline, name="offline"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("account/", account.account, name="account"),
    path("account/users/", account.account_user_add, name="account-user-add"),
    path(
        "account/users/<int:pk>/",
        account.account_user_change,
        name="account-user-change",
    ),
    path(
        "account/telegram/connect/",
        account.telegram_connect,
        name="account-telegram-connect",
    ),
    path(
        "account/telegram/unlink/",
        account.telegram_unlink,
        name="account-telegram-unlink",
    ),
    path(
        "account/password/", auth.PasswordChangeView.as_view(), name="account-password"
    ),
    path("language/", language.language, name="language"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("catalog/c/<str:category>/", catalog.catalog, name="catalog-category"),
    path("catalog/p/<str:sku>/", catalog.product, name="catalog-product"),
    path("promotions/", promotions.promotion_list, name="promotions"),
    path(
        "promotions/<str:code>/",
        promotions.promotion_detail,
        name="promotions-detail",
    ),
    path("cart/", cart.cart, name="cart"),
    path("cart/add/", cart.cart_add, name="cart-add"),
    path("cart/fill/", cart.cart_fill, name="cart-fill"),
    path("cart/fill/undo/", cart.cart_fill_undo, name="cart-fill-undo"),
    path("cart/set/", cart.cart_set, name="cart-set"),
    path("cart/remove/", cart.cart_remove, name="cart-remove"),
    path("cart/gift/", cart.cart_gift, name="cart-gift"),
    path("cart/credit/", cart.cart_credit, name="cart-credit"),
    path("cart/clear/", cart.cart_clear, name="cart-clear"),
    path("cart/summary/", cart.cart_summary, name="cart-summary"),
    path("cart/badge/", cart.cart_badge, name="cart-badge"),
    path("cart/quick/", cart.quick_order, name="cart-quick"),
    path("cart/quick/add/", cart.quick_order_add, name="cart-quick-add"),
    path("checkout/", checkout.checkout, name="checkout"),
    path("checkout/place/", checkout.checkout_place, name="checkout-place"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<str:number>/", orders.order_detail, name="orders-detail"),
    path("orders/<str:number>/reorder/", orders.order_reorder, name="orders-reorder"),
    path("orders/<str:number>/cancel/", orders.order_cancel, name="orders-cancel"),
    path("orders/<str:number>/plan/", orders.order_plan, name="orders-plan"),
    path(
        "orders/<str:number>/shipments/<str:shipment>/confirm/",
        payments.shipment_confirm,
        name="orders-shipment-confirm",
    ),
    path("agreement/", agreement.agreement, name="agreement"),
    path("agreement/nearest/", agreement.agreement_nearest, name="agreement-nearest"),
    path(
        "agreement/document/",
        agreement.agreement_document,
        name="agreement-document",
    ),
    path("payments/", payments.payments, name="payments"),
    path("payments/invoices/", invoices.invoices, name="invoices"),
    path(
        "payments/invoices/request/", invoices.invoice_request, name="invoice-request"
    ),
    path("statement/", payments.statement, name="statement"),
    path("statement/respond/", payments.statement_respond, name="statement-respond"),
    path(
        "orders/<str:number>/cancel/confirm/",
        orders.order_cancel_confirm,
        name="orders-cancel-confirm",
    ),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("readyz", health.readyz, name="readyz"),
    path("ping", health.ping, name="ping"),
    path("metrics", ops_metrics.metrics_view, name="metrics"),
    path("", include((portal_patterns, "portal"))),
    path("", include("notifications.urls")),
    path("", include("conversations.urls")),
    path("office/", include("portal.office_urls")),
    path("telegram/webhook/", telegram_webhook.webhook, name="telegram-webhook"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("cms/admin/", include(wagtailadmin_urls)),
    path("cms/documents/", include(wagtaildocs_urls)),
    # Uploaded images for the embedded default; production serves /media/ from the proxy.
    re_path(
        r"^media/(?P<path>.*)$", static_serve, {"document_root": settings.MEDIA_ROOT}
    ),
    path("cms/", include(wagtail_urls)),
]

handler400 = "portal.views.errors.bad_request"
