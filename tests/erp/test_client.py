"""The K/3 Cloud client against the fake server: auth modes, paging, typed errors."""

from datetime import datetime

import pytest

from erp.client import (
    K3BusinessError,
    K3Client,
    K3LoginFailed,
    K3SessionLost,
    K3Unreachable,
    check,
)
from tests.erp.conftest import k3_config

KEYS = ["FMATERIALID", "FNumber", "FName", "FBaseUnitId.FNumber", "FModifyDate"]


def _materials(fake, count):
    for i in range(count):
        fake.add(
            "BD_MATERIAL",
            {
                "FMATERIALID": 1000 + i,
                "FNumber": f"M{i:05d}",
                "FName": f"物料{i}",
                "FBaseUnitId.FNumber": "Pcs",
                "FUseOrgId.FNumber": "100" if i % 2 == 0 else "200",
            },
            modified=datetime(2026, 6, 1, 8, 0, i % 60),
        )


def test_signed_pages_read_everything_once(fake_k3, k3_client):
    """A signed query pages by StartRow until a short page: every row exactly once."""
    _materials(fake_k3, 4100)
    pages = list(
        k3_client.pages(
            form_id="BD_MATERIAL",
            field_keys=KEYS,
            filter_string="FUseOrgId.FNumber = '100'",
            order_string="FModifyDate ASC, FMATERIALID ASC",
            page_size=2000,
        )
    )
    numbers = [row["FNumber"] for page in pages for row in page]
    assert [len(page) for page in pages] == [2000, 50]
    assert len(numbers) == len(set(numbers)) == 2050
    assert pages[0][0]["FModifyDate"].startswith("2026-06-01T08:00:00")


def test_wrong_secret_is_a_login_failure(fake_k3):
    """A signature the server refuses (MsgCode 1) is a login failure, never retried."""
    with (
        K3Client(k3_config(fake_k3, app_secret="0" * 32)) as client,
        pytest.raises(K3LoginFailed),
    ):
        client.query(form_id="BD_UNIT", field_keys=["FNumber"])
    assert len(fake_k3.calls) == 1


def test_password_session_expiring_mid_run_logs_in_again(fake_k3_password):
    """MsgCode 1 on a read: log in again and repeat that read once."""
    fake = fake_k3_password
    _materials(fake, 30)
    with K3Client(k3_config(fake)) as client:
        first = client.query(form_id="BD_MATERIAL", field_keys=KEYS, limit=10)
        fake.expire_sessions()
        second = client.query(
            form_id="BD_MATERIAL", field_keys=KEYS, start_row=10, limit=10
        )
    assert len(first) == len(second) == 10
    assert fake.logins == 2


def test_password_session_lost_on_a_write_is_not_repeated(fake_k3_password):
    """A write that meets a lost session logs in again but is not sent twice."""
    fake = fake_k3_password
    with K3Client(k3_config(fake)) as client:
        client.login()
        fake.expire_sessions()
        with pytest.raises(K3SessionLost):
            client.save(form_id="SAL_SaleOrder", model={"FBillNo": "SO-1"})
    assert [op for op, _ in fake.calls].count("Save") == 1
    assert fake.find("SAL_SaleOrder", FBillNo="SO-1") is None


def test_bad_password_is_a_login_failure(fake_k3_password):
    with (
        K3Client(k3_config(fake_k3_password, password="wrong-pass")) as client,
        pytest.raises(K3LoginFailed),
    ):
        client.query(form_id="BD_UNIT", field_keys=["FNumber"])


@pytest.mark.parametrize("kind", ["519", "500", "timeout"])
def test_transport_faults_are_unreachable(fake_k3, k3_client, kind):
    """A gateway 519, a 5xx or a timeout is K3Unreachable (retryable)."""
    fake_k3.fail(kind, "ExecuteBillQuery", seconds=2.0)
    with pytest.raises(K3Unreachable) as caught:
        k3_client.query(form_id="BD_UNIT", field_keys=["FNumber"])
    assert caught.value.retryable
    assert caught.value.timeout == (kind == "timeout")


def test_unknown_field_is_a_business_error(fake_k3, k3_client):
    """The double-wrapped query error (MsgCode 9) is not mistaken for rows."""
    fake_k3.add("BD_UNIT", {"FNumber": "Pcs", "FName": "个"})
    with pytest.raises(K3BusinessError) as caught:
        k3_client.query(form_id="BD_UNIT", field_keys=["FNumber", "FNope"])
    assert caught.value.msg_code == 9
    assert "FNope" in caught.value.reason


def test_is_success_as_a_string_false_is_an_error():
    """IsSuccess may come as the string "false"."""
    body = {
        "Result": {
            "ResponseStatus": {
                "IsSuccess": "false",
                "MsgCode": 11,
                "Errors": [{"Message": "重复", "DIndex": 0}],
            }
        }
    }
    with pytest.raises(K3BusinessError, match="重复"):
        check(body)
    assert check([[1, "a"], [2, "b"]]) == [[1, "a"], [2, "b"]]


def test_save_refuses_a_duplicate_bill_number(fake_k3, k3_client):
    """Save assigns an id; the same FBillNo again is refused; Submit/Audit move A→B→C."""
    fid, number = k3_client.save(form_id="SAL_SaleOrder", model={"FBillNo": "SO-9"})
    assert number == "SO-9"
    assert fid
    with pytest.raises(K3BusinessError, match="SO-9"):
        k3_client.save(form_id="SAL_SaleOrder", model={"FBillNo": "SO-9"})
    k3_client.operate("Submit", form_id="SAL_SaleOrder", numbers=["SO-9"])
    k3_client.operate("Audit", form_id="SAL_SaleOrder", numbers=["SO-9"])
    assert (
        k3_client.view(form_id="SAL_SaleOrder", number="SO-9")["FDocumentStatus"] == "C"
    )
    assert k3_client.view(form_id="SAL_SaleOrder", number="SO-404") is None


def test_a_partly_failed_batch_save_names_each_refused_bill(fake_k3, k3_client):
    """BatchSave takes the new bills and refuses the duplicate, by DIndex."""
    k3_client.save(form_id="SAL_SaleOrder", model={"FBillNo": "SO-1"})
    saved, refused = k3_client.batch_save(
        form_id="SAL_SaleOrder",
        models=[{"FBillNo": "SO-2"}, {"FBillNo": "SO-1"}, {"FBillNo": "SO-3"}],
    )
    assert [s["Number"] for s in saved] == ["SO-2", "SO-3"]
    assert [e["DIndex"] for e in refused] == [1]
    assert "SO-1" in refused[0]["Message"]
