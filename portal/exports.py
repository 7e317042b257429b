"""Downloads: the statement of account as an xlsx workbook (openpyxl)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font


def statement_xlsx(*, dealer, statement) -> bytes:
    """One sheet: header, opening balance, every movement, closing balance."""
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
    for row in sheet.iter_rows(min_row=5, min_col=4, max_col=7):
        for cell in row:
            cell.number_format = "#,##0.00"
    for column, width in zip("ABCDEFG", (12, 16, 22, 14, 14, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
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
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=7):
        for cell in row:
            cell.number_format = "#,##0.00"
    for column, width in zip("ABCDEFG", (16, 14, 14, 14, 14, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width


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
    for row in sheet.iter_rows(min_row=4, min_col=5, max_col=9):
        for cell in row:
            cell.number_format = "#,##0.00"
    for column, width in zip(
        "ABCDEFGHI", (14, 28, 10, 14, 14, 14, 12, 12, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
