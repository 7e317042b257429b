"""Promotions from the sales organisation: definitions and lifecycle moves."""

import json

from django.http import HttpRequest
from ninja import Router, Status

from api import schemas, serializers
from api.responses import PromotionOut, answers
from common.errors import InvalidInput
from promos import selectors, services

router = Router(tags=["promotions"])


def _shown(promotion):
    promotion = selectors.promotion_get(code=promotion.code)
    return serializers.promotion_dict(
        promotion, selectors.promotion_latest_version(promotion=promotion)
    )


@router.put("/promotions/{code}", response=answers(200, 201, schema=PromotionOut))
def put_promotion(request: HttpRequest, code: schemas.Code):
    """Create or replace a definition (promotions.md); a new one is a draft."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("The body is not valid JSON.", code="malformed") from None
    if not isinstance(data, dict):
        raise InvalidInput(
            "The definition must be a JSON object.", code="invalid_definition"
        )
    if data.get("code", code) != code:
        raise InvalidInput(
            "The code in the body differs from the code in the URL.",
            code="invalid_definition",
            errors=[{"field": "code", "message": f"must be {code}"}],
        )
    result = services.promotion_save(data={**data, "code": code}, by=None)
    return Status(201 if result.created else 200, _shown(result.promotion))


@router.get("/promotions/{code}", response=answers(200, schema=PromotionOut))
def get_promotion(request: HttpRequest, code: schemas.Code):
    return _shown(selectors.promotion_get(code=code))


def _move(verb):
    def endpoint(request: HttpRequest, code: schemas.Code):
        return _shown(verb(code=code, by=None))

    return endpoint


for _name, _verb in {
    "submit": services.promotion_submit,
    "approve": services.promotion_approve,
    "pause": services.promotion_pause,
    "resume": services.promotion_resume,
    "end": services.promotion_end,
}.items():
    router.add_api_operation(
        f"/promotions/{{code}}/{_name}",
        ["POST"],
        _move(_verb),
        response=answers(200, schema=PromotionOut),
        operation_id=f"promotion_{_name}",
        summary=f"{_name.capitalize()} a promotion (an illegal move is 409)",
    )
