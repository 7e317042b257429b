"""xlsx downloads of the evaluation figures (openpyxl): one promotion, one org."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

MONEY = "#,##0.00"
RATIO = "0.00%"
BOLD = Font(bold=True)


def _header(sheet, titles) -> None:
    sheet.append(list(titles))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def promotion_xlsx(*, figures, gifts, funnel, computed_at) -> bytes:
    """Summary (label, value), the burn by day, and the gifts by SKU."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    sheet.append([_("Promotion"), figures.code, figures.name])
    sheet.append([_("Computed at"), computed_at.isoformat(timespec="seconds")])
    sheet.append(
        [
            _("Period"),
            figures.window.first_day.isoformat(),
            figures.window.period_end.isoformat(),
        ]
    )
    sheet.append([])
    _header(sheet, [_("Figure"), _("Value")])
    sales = figures.sales
    rows = [
        (_("Applications"), figures.applications, None),
        (_("Times earned"), figures.times, None),
        (_("Dealers reached"), figures.dealers_reached, None),
        (_("Discounts"), figures.discount, MONEY),
        (_("Gifts at cost"), figures.gift_cost, MONEY),
        (_("Expense credit"), figures.expense_credit, MONEY),
        (_("Cost"), figures.cost, MONEY),
        (_("Budget"), figures.budget_limit, MONEY),
        (_("Promoted sales"), sales.during, MONEY),
        (_("Baseline"), sales.baseline, MONEY),
        (_("Control dealers"), sales.control_dealers, None),
        (_("Control growth"), sales.control_growth, "0.0000"),
        (_("Expected sales"), sales.expected, MONEY),
        (_("Incremental sales"), sales.incremental, MONEY),
        (_("Cost ratio"), figures.cost_ratio, RATIO),
        (_("Cost per incremental ¥"), figures.cost_per_incremental, "0.0000"),
        (_("Gifts shipped"), gifts.shipped, None),
        (_("Gifts owed"), gifts.owed, None),
        (_("Gifts clawed back"), gifts.clawed_back, None),
        (_("Gift debt outstanding"), gifts.debt, None),
        (_("Pushed to dealers"), funnel.recipients, None),
        (_("Sent"), funnel.sent, None),
        (_("Read"), funnel.read, None),
        (_("Clicked"), funnel.clicked, None),
        (_("Converted"), funnel.converted, None),
    ]
    for label, value, number_format in rows:
        sheet.append([label, value])
        if number_format:
            sheet.cell(row=sheet.max_row, column=2).number_format = number_format
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 18
    burn = book.create_sheet(_("Burn")[:31])
    _header(burn, [_("Date"), _("Cost"), _("Cumulative cost")])
    for point in figures.burn:
        burn.append([point.day, point.cost, point.cumulative])
        for cell in burn[burn.max_row][1:]:
            cell.number_format = MONEY
    sheet_gifts = book.create_sheet(_("Gifts")[:31])
    _header(
        sheet_gifts,
        [
            _("SKU"),
            _("Unit cost"),
            _("Ordered"),
            _("Shipped"),
            _("Owed"),
            _("Clawed back"),
            _("Gift debt"),
            _("Settled"),
        ],
    )
    for row in gifts.rows:
        sheet_gifts.append(
            [
                row.sku,
                row.unit_cost,
                row.ordered,
                row.shipped,
                row.owed,
                row.clawed_back,
                row.debt,
                row.settled,
            ]
        )
    return _save(book)


def org_xlsx(*, org, rows, figures, computed_at) -> bytes:
    """The org tree's roll-up, then one row per promotion."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Organisations")[:31]
    sheet.append([_("Sales organisation"), org.code, org.display_name])
    sheet.append([_("Computed at"), computed_at.isoformat(timespec="seconds")])
    sheet.append([])
    _header(
        sheet,
        [
            _("Code"),
            _("Name"),
            _("Promotions"),
            _("Applications"),
            _("Cost"),
            _("Budget"),
            _("Promoted sales"),
            _("Incremental sales"),
            _("Cost ratio"),
        ],
    )
    for row in rows:
        sheet.append(
            [
                row.org.code,
                row.org.display_name,
                row.promotions,
                row.applications,
                row.cost,
                row.budget,
                row.promoted_sales,
                row.incremental,
                row.cost_ratio,
            ]
        )
        for cell in sheet[sheet.max_row][4:8]:
            cell.number_format = MONEY
        sheet[sheet.max_row][8].number_format = RATIO
    detail = book.create_sheet(_("Promotions")[:31])
    _header(
        detail,
        [
            _("Code"),
            _("Name"),
            _("Owner"),
            _("Cost"),
            _("Budget"),
            _("Promoted sales"),
            _("Baseline"),
            _("Incremental sales"),
            _("Cost ratio"),
        ],
    )
    for item in sorted(figures.values(), key=lambda f: f.code):
        detail.append(
            [
                item.code,
                item.name,
                item.sales_org_code,
                item.cost,
                item.budget_limit,
                item.sales.during,
                item.sales.baseline,
                item.sales.incremental,
                item.cost_ratio,
            ]
        )
        for cell in detail[detail.max_row][3:8]:
            cell.number_format = MONEY
        detail[detail.max_row][8].number_format = RATIO
    return _save(book)
