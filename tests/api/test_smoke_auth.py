"""The API answers only to a valid key, in its error format."""


def test_no_key_is_401_with_reason(client, db):
    """A call without a key is refused with 401 and says what is needed."""
    response = client.get("/api/v1/promotions/ANY")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_wrong_key_is_401(client, db):
    response = client.get("/api/v1/promotions/ANY", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401


def test_openapi_document_is_served(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/dealers/{code}/quote" in response.json()["paths"]
