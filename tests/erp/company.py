"""A small, realistic K/3 Cloud company for the fake: Chinese names, mixed units
(箱 to sell, Pcs/瓶 as base units), two warehouses, two price lists, two customers."""

from datetime import datetime

ORG = "100"
LIST_A = "XSJMB-A"  # the standard price list (the default tier)
LIST_B = "XSJMB-B"


def seed_company(fake) -> None:
    june = datetime(2026, 6, 1, 9, 0, 0)
    fake.add(
        "ORG_Organizations",
        {"FORGID": 1, "FNumber": ORG, "FName": "华东销售公司"},
        modified=june,
    )
    for fid, number, name, parent in [
        (11, "01", "茶叶", None),
        (12, "01.01", "绿茶", "01"),
        (13, "02", "饮料", None),
        (19, "09", "赠品", None),
    ]:
        fake.add(
            "BD_MATERIALGROUP",
            {"FID": fid, "FNumber": number, "FName": name, "FParentId.FNumber": parent},
            modified=june,
        )
    for uid, number, name, precision in [
        (21, "Pcs", "个", 0),
        (22, "箱", "箱", 0),
        (23, "PING", "瓶", 0),
        (24, "kg", "千克", 2),
    ]:
        fake.add(
            "BD_UNIT",
            {"FUNITID": uid, "FNumber": number, "FName": name, "FPrecision": precision},
            modified=june,
        )
    materials = [
        (31, "M-TEA-01", "西湖龙井", "250g×20罐", "01.01", "Pcs", "箱", ORG),
        (32, "M-TEA-02", "洞庭碧螺春", "100g×20盒", "01.01", "Pcs", "箱", ORG),
        (33, "M-DRK-01", "冰红茶", "500ml×24瓶", "02", "PING", "箱", ORG),
        (34, "M-GIFT-01", "紫砂茶杯", "", "09", "Pcs", "Pcs", ORG),
        (35, "M-BAD-01", "无分组物料", "", "", "Pcs", "Pcs", ORG),  # malformed
        (36, "M-OTHER-01", "别的组织的物料", "", "02", "Pcs", "Pcs", "200"),
    ]
    for mid, number, name, spec, group, base, sale, org in materials:
        fake.add(
            "BD_MATERIAL",
            {
                "FMATERIALID": mid,
                "FNumber": number,
                "FName": name,
                "FSpecification": spec,
                "FMaterialGroup.FNumber": group,
                "FBaseUnitId.FNumber": base,
                "FSaleUnitId.FNumber": sale,
                "FForbidStatus": "A",
                "FDocumentStatus": "C",
                "FUseOrgId.FNumber": org,
            },
            modified=june,
        )
    for fid, number, current, dest, numerator in [
        (41, "M-TEA-01", "箱", "Pcs", 20),
        (42, "M-TEA-02", "箱", "Pcs", 20),
        (43, "M-DRK-01", "箱", "PING", 24),
    ]:
        fake.add(
            "BD_MATERIALUNITCONVERT",
            {
                "FID": fid,
                "FMaterialId.FNumber": number,
                "FCurrentUnitId.FNumber": current,
                "FDestUnitId.FNumber": dest,
                "FConvertNumerator": numerator,
                "FConvertDenominator": 1,
            },
            modified=june,
        )
    for cid, number, name, price_list in [
        (51, "C-0001", "杭州茗香商贸有限公司", LIST_A),
        (52, "C-0002", "苏州福茶贸易有限公司", LIST_B),
    ]:
        fake.add(
            "BD_Customer",
            {
                "FCUSTID": cid,
                "FNumber": number,
                "FName": name,
                "FShortName": name[:4],
                "FPriceListId.FNumber": price_list,
                "FForbidStatus": "A",
                "FDocumentStatus": "C",
                "FUseOrgId.FNumber": ORG,
            },
            modified=june,
        )
    for sid, number, name in [(61, "CK-HZ", "杭州成品仓"), (62, "CK-SH", "上海中转仓")]:
        fake.add(
            "BD_STOCK",
            {"FSTOCKID": sid, "FNumber": number, "FName": name},
            modified=june,
        )

    def price_line(material, unit, price):
        return {
            "FMaterialId.FNumber": material,
            "FUnitID.FNumber": unit,
            "FPrice": price,
            "FEntryEffectiveDate": "2026-01-01T00:00:00",
            "FEntryExpiryDate": "2100-01-01T00:00:00",
        }

    fake.add(
        "BD_SAL_PriceList",
        {"FID": 71, "FNumber": LIST_A, "FDocumentStatus": "C", "FForbidStatus": "A"},
        [
            price_line("M-TEA-01", "箱", 1280),
            price_line("M-TEA-02", "箱", 960),
            price_line("M-DRK-01", "箱", 72),
            price_line("M-GIFT-01", "Pcs", 15),
        ],
        modified=june,
    )
    fake.add(
        "BD_SAL_PriceList",
        {"FID": 72, "FNumber": LIST_B, "FDocumentStatus": "C", "FForbidStatus": "A"},
        [price_line("M-TEA-01", "Pcs", 62), price_line("M-DRK-01", "箱", 70)],
        modified=june,
    )
    for fid, material, stock, qty, base in [
        ("a1", "M-TEA-01", "CK-HZ", 2000, "Pcs"),  # 100 箱
        ("a2", "M-TEA-01", "CK-SH", 240, "Pcs"),  # two lots: 12 + 8 箱
        ("a3", "M-TEA-01", "CK-SH", 160, "Pcs"),
        ("a4", "M-DRK-01", "CK-HZ", 2400, "PING"),  # 100 箱
        ("a5", "M-TEA-02", "CK-HZ", 1000, "Pcs"),  # 50 箱
        ("a6", "M-GIFT-01", "CK-HZ", 50, "Pcs"),
    ]:
        fake.add(
            "STK_Inventory",
            {
                "FID": fid,
                "FMaterialId.FNumber": material,
                "FStockId.FNumber": stock,
                "FStockOrgId.FNumber": ORG,
                "FBaseQty": qty,
                "FBaseUnitId.FNumber": base,
            },
        )
