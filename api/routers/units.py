"""The ERP's unit master: PUT /units/{code} creates (201) or replaces (200)."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from api.responses import answers
from api.schemas import Code
from catalog import services as catalog_services

router = Router(tags=["master data"])

UnitName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)
]


class UnitNames(Schema):
    zh_hans: UnitName = Field(alias="zh-hans")
    en: UnitName | None = None


class UnitIn(Schema):
    name: UnitName | UnitNames
    decimals: Annotated[int, Field(ge=0, le=6)] = 0


class UnitOut(Schema):
    code: str
    name: UnitNames
    decimals: int


@router.put(
    "/units/{code}",
    response=answers(200, 201, schema=UnitOut),
    by_alias=True,
)
def put_unit(request: HttpRequest, code: Code, payload: UnitIn):
    if isinstance(payload.name, str):
        name, name_en = payload.name, ""
    else:
        name, name_en = payload.name.zh_hans, payload.name.en or ""
    unit, created = catalog_services.unit_upsert(
        code=code, name=name, name_en=name_en, decimals=payload.decimals
    )
    return Status(
        201 if created else 200,
        {
            "code": unit.code,
            "name": {"zh-hans": unit.name, "en": unit.name_en or unit.name},
            "decimals": unit.decimals,
        },
    )
