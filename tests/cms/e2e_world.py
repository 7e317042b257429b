"""Content for the end-to-end test, added to the live server's database.

Run as ``python -m tests.cms.e2e_world`` with ``DATABASE_URL`` pointing at the live
server's SQLite file (after ``tests.e2e.world`` built its world with P-GIFT): a
marketing writer, a sales manager and a published Chinese page about P-GIFT. Prints
what the test needs as JSON.
"""

import json

PASSWORD = "pass-word-1"


def build() -> dict:
    from catalog.models import Product
    from cms.demo import demo_image
    from dealers import groups
    from promos.models import Promotion
    from tests.cms import factories

    promotion = Promotion.objects.get(code="P-GIFT")
    tea = Product.objects.get(sku="TEA-A-01")
    page = factories.promotion_page(
        promotion,
        title="龙井买十赠一",
        summary="买十箱送茶杯一个。",
        slug="p-gift-e2e",
        image=demo_image(title="龙井", label="P-GIFT"),
        body=[
            ("text", "<p>今年的新茶，香气更足。</p>"),
            ("product", {"product": tea, "note": "计入赠品条件"}),
            ("call_to_action", {"label": "加 10 箱", "product": tea, "quantity": 10}),
        ],
    )
    factories.staff_user("mkt-e2e", groups.MARKETING)
    factories.staff_user("mgr-e2e", groups.SALES_MANAGER)
    return {
        "password": PASSWORD,
        "marketing": "mkt-e2e",
        "manager": "mgr-e2e",
        "page_id": page.pk,
        "page_url": page.url,
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(build()))  # noqa: T201 - read by the test process
