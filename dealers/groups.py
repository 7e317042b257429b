"""Staff groups and what they may do; created by a data migration."""

from django.utils.translation import gettext_lazy as _

SALES_REP = "sales rep"
SALES_MANAGER = "sales manager"
MARKETING = "marketing"
FINANCE = "finance"

GROUP_LABELS = {
    SALES_REP: _("Sales rep"),
    SALES_MANAGER: _("Sales manager"),
    MARKETING: _("Marketing"),
    FINANCE: _("Finance"),
}
