"""Downloads: the statement of account and the agreements as xlsx workbooks (openpyxl)."""

from collections.abc import Sequence
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MONEY = "#,##0.00"


def _layout(
    sheet, *, money_from_row: int, money_columns: range, widths: Sequence[int]
) -> None:
    """Money columns as ``#,##0.00`` from ``money_from_row`` down; column widths."""
    for row in sheet.iter_rows(
        min_row=money_from_row,
        min_col=money_columns.start,
        max_col=money_columns.stop - 1,
    ):
        for cell in row:
            cell.number_format = MONEY
    _widths(sheet, widths)


def _widths(sheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def statement_xlsx(*, dealer, statement) -> bytes:
    """Two sheets: the movements (header, opening balance, every movement, closing
    balance), and each order four ways."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Statement")[:31]
    bold = Font(bold=True)
    sheet.append([_("Statement of account"), dealer.code, dealer.name])
    sheet.append(
        [
            _("Period"),
            statement.period_from.isoformat(),
            statement.period_to.isoformat(),
        ]
    )
    sheet.append([])
    sheet.append(
        [
            _("Date"),
            _("Kind"),
            _("Reference"),
            _("Debit"),
            _("Credit"),
            _("Balance"),
            _("Invoiced"),
        ]
    )
    for cell in sheet[4]:
        cell.font = bold
    sheet.append(["", _("Opening balance"), "", None, None, statement.opening_balance])
    for movement in statement.movements:
        sheet.append(
            [
                movement.date,
                movement.label,
                movement.reference,
                movement.debit or None,
                movement.credit or None,
                movement.balance,
                movement.invoiced or None,
            ]
        )
    sheet.append(["", _("Closing balance"), "", None, None, statement.closing_balance])
    sheet[sheet.max_row][1].font = bold
    _layout(
        sheet,
        money_from_row=5,
        money_columns=range(4, 8),
        widths=(12, 16, 22, 14, 14, 14, 14),
    )
    _orders_sheet(book.create_sheet(_("By order")[:31]), statement.orders, bold)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _orders_sheet(sheet, orders, bold) -> None:
    """Each order four ways (the statement's "By order"), with what is not invoiced."""
    sheet.append(
        [
            _("Order"),
            _("Shipped"),
            _("Billed"),
            _("Invoiced"),
            _("Paid"),
            _("Open"),
            _("Not invoiced"),
        ]
    )
    for cell in sheet[1]:
        cell.font = bold
    for o in orders:
        sheet.append(
            [o.order, o.shipped, o.billed, o.invoiced, o.paid, o.open, o.uninvoiced]
        )
    _layout(
        sheet,
        money_from_row=2,
        money_columns=range(2, 8),
        widths=(16, 14, 14, 14, 14, 14, 14),
    )


def agreements_xlsx(*, org, risks) -> bytes:
    """One row per target of every approved agreement of an org: target, achieved,
    percent, and the run-rate projection of the running whole target."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Agreements")[:31]
    bold = Font(bold=True)
    sheet.append([_("Dealer agreements"), org.code, org.display_name])
    sheet.append([])
    sheet.append(
        [
            _("Agreement"),
            _("Dealer"),
            _("Period"),
            _("Category"),
            _("Target"),
            _("Achieved"),
            _("Achieved %"),
            _("Projected %"),
            _("Rebate accrued"),
        ]
    )
    for cell in sheet[3]:
        cell.font = bold
    for risk in risks:
        report = risk.report
        for item in report.progress:
            running = item is risk.target
            sheet.append(
                [
                    risk.agreement.code,
                    f"{risk.agreement.dealer.code} {risk.agreement.dealer.name}",
                    item.period.name,
                    item.category_code or _("All products"),
                    item.target_amount,
                    item.achieved,
                    item.percent,
                    risk.projected_percent if running else None,
                    report.accrued_total if running else None,
                ]
            )
    _layout(
        sheet,
        money_from_row=4,
        money_columns=range(5, 10),
        widths=(14, 28, 10, 14, 14, 14, 12, 12, 14),
    )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def feedback_xlsx(*, summary) -> bytes:
    """The week's market feedback: counts by org and region per kind, then each item."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    bold = Font(bold=True)
    sheet.append(
        [_("Market feedback"), summary.start.isoformat(), summary.end.isoformat()]
    )
    sheet.append([])
    sheet.append(
        [_("Sales organisation"), _("Region")]
        + [str(label) for _kind, label in summary.kinds]
        + [_("Total")]
    )
    for cell in sheet[3]:
        cell.font = bold
    for row in summary.rows:
        sheet.append([row["org"], row["region"], *row["cells"], row["total"]])
    sheet.append(
        ["", _("Total")]
        + [summary.totals.get(kind, 0) for kind, _label in summary.kinds]
        + [summary.total]
    )
    sheet[sheet.max_row][1].font = bold
    _widths(sheet, (20, 14) + (12,) * (len(summary.kinds) + 1))
    items = book.create_sheet(_("Feedback")[:31])
    items.append(
        [
            _("Date"),
            _("Dealer"),
            _("Sales organisation"),
            _("Region"),
            _("Kind"),
            _("Subject"),
            _("Photos"),
        ]
    )
    for cell in items[1]:
        cell.font = bold
    for thread in summary.items:
        items.append(
            [
                thread.created_at.date(),
                f"{thread.dealer.code} {thread.dealer.name}",
                thread.dealer.sales_org.display_name,
                thread.region.display_name if thread.region else "",
                thread.get_feedback_display(),
                thread.subject,
                thread.photos,
            ]
        )
    _widths(items, (12, 28, 18, 12, 18, 40, 8))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
