"""URLs of the back office (/office/); each view module lists its own."""

from portal.views.office import (
    agreements,
    allocations,
    backtest,
    erp,
    evaluation,
    feedback,
    invoice_requests,
    payment_plans,
    reconciliation,
)

app_name = "office"

urlpatterns = [
    *evaluation.urls,
    *backtest.urls,
    *erp.urls,
    *agreements.urls,
    *payment_plans.urls,
    *invoice_requests.urls,
    *reconciliation.urls,
    *allocations.urls,
    *feedback.urls,
]
