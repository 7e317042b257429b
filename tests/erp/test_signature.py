"""The app signature matches the test vector of Kingdee's SDK sample (erp-k3cloud.md)."""

from erp import signature

APP_ID = "204399_72epSbtEQMC92Vwt2d3LRa9LRqSc1tqJ"
PATH = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc"


def test_client_secret_matches_the_sdk():
    """The client secret derived from the app id is the SDK's."""
    assert signature.client_secret(APP_ID) == "31ecfd13effe724e7e78fc17f8f94b66"


def test_headers_match_the_test_vector_exactly():
    """Every signed header equals the published vector."""
    headers = signature.headers(
        path=PATH,
        acct_id="5db25ac8d2b819",
        username="webapi",
        app_id=APP_ID,
        app_secret="fb7d46647ac346dbb5fcd45b65512a45",
        lcid=2052,
        timestamp=1700000000,
    )
    assert headers["X-Api-Signature"] == (
        "ZTJhY2RiZTYxNmFhZDMxN2MyZmU2ZTMxN2I0ZmFjZGE2ZGVlMTgyNTM4YzdkOTNlYzFlNzhmZGU1M2E4YTRmNg=="
    )
    assert headers["X-Kd-Appdata"] == "NWRiMjVhYzhkMmI4MTksd2ViYXBpLDIwNTIsMA=="
    assert headers["X-Kd-Signature"] == (
        "OWQ2YWVhM2JmOGVlYWEzYjVlZGI0NzM3MjlmYzA4NTkyYjhiMTAwNTgxODk5MmQ5NWIxMzBjZTQxNjk5ZWFiYg=="
    )
    assert headers["X-Api-ClientID"] == "204399"
    assert headers["x-api-nonce"] == headers["x-api-timestamp"] == "1700000000"
