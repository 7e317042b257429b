"""The fixed vocabulary of the demo data: names, codes, prices and the demo logins.

Everything random is drawn in ``seed.py``; this module holds only constants, so the
same seed always picks from the same lists in the same order.
"""

from dataclasses import dataclass
from decimal import Decimal

# --- Sales organisation, tiers, regions ------------------------------------------------

COMPANY = ("HQ", "总部", "Headquarters")

# The regions of the sales organisation (below the company): code, name, English name
REGIONS_ORG = [
    ("EAST", "华东大区", "East China"),
    ("SOUTH", "华南大区", "South China"),
    ("NORTH", "华北大区", "North China"),
]


@dataclass(frozen=True)
class Branch:
    """A branch office: its region org, its geographic region, how many of the dealers
    it serves (a weight) and the cities its dealers are in."""

    code: str
    name: str
    name_en: str
    parent: str
    region: str
    weight: int
    cities: tuple[str, ...]


BRANCHES = [
    Branch("EAST-SH", "上海分公司", "Shanghai branch", "EAST", "east", 6,
           ("上海", "苏州", "无锡", "昆山", "嘉兴")),
    Branch("EAST-HZ", "杭州分公司", "Hangzhou branch", "EAST", "east", 4,
           ("杭州", "宁波", "温州", "绍兴", "金华")),
    Branch("EAST-NJ", "南京分公司", "Nanjing branch", "EAST", "east", 3,
           ("南京", "常州", "扬州", "合肥", "芜湖")),
    Branch("SOUTH-GZ", "广州分公司", "Guangzhou branch", "SOUTH", "south", 4,
           ("广州", "佛山", "东莞", "中山", "珠海")),
    Branch("SOUTH-SZ", "深圳分公司", "Shenzhen branch", "SOUTH", "south", 3,
           ("深圳", "惠州", "汕头", "厦门", "泉州")),
    Branch("NORTH-BJ", "北京分公司", "Beijing branch", "NORTH", "north", 4,
           ("北京", "保定", "廊坊", "石家庄", "唐山")),
    Branch("NORTH-TJ", "天津分公司", "Tianjin branch", "NORTH", "north", 2,
           ("天津", "济南", "青岛", "沧州", "烟台")),
]  # fmt: skip

# code, name, English name
REGIONS = [
    ("east", "华东", "East China"),
    ("south", "华南", "South China"),
    ("north", "华北", "North China"),
]


@dataclass(frozen=True)
class TierSpec:
    code: str
    name: str
    name_en: str
    rank: int
    share: float  # of the dealers
    price_factor: Decimal  # of the list price
    size: float  # how much a dealer of this tier buys, relative to bronze
    active_months: float  # chance that the dealer orders in a given month
    max_lines: int  # order lines in a month, at most
    credit: tuple[int, int]  # credit limit range, in ¥10,000
    terms: tuple[int, ...]  # payment terms (days) to pick from


TIERS = [
    TierSpec("gold", "金牌", "Gold", 30, 0.15, Decimal("0.88"), 3.0, 0.95, 6,
             (50, 200), (45, 60, 60)),
    TierSpec("silver", "银牌", "Silver", 20, 0.35, Decimal("0.92"), 1.6, 0.85, 5,
             (20, 80), (30, 30, 45)),
    TierSpec("bronze", "铜牌", "Bronze", 10, 0.50, Decimal("0.96"), 1.0, 0.70, 4,
             (5, 30), (0, 15, 30, 30)),
]  # fmt: skip

# --- Dealer names ----------------------------------------------------------------------

TRADE_NAMES = [
    "恒丰", "永盛", "鑫源", "华联", "德隆", "金利", "宏达", "福瑞", "顺发", "万家",
    "聚源", "新世纪", "佳美", "兴隆", "泰和", "润丰", "广源", "盛世", "嘉禾", "长兴",
    "汇通", "百川", "利群", "天成", "安泰", "富康", "龙腾", "东方", "合众", "信达",
    "锦华", "荣昌", "和美", "优品", "乐购", "四季", "惠民", "益丰", "瑞祥", "同福",
    "开元", "正大", "友谊", "好又多", "旺福", "美佳", "宝利", "金诚", "佳和", "中联",
]  # fmt: skip

BUSINESS_KINDS = [
    "商贸", "贸易", "食品", "副食品", "百货", "供应链", "实业", "商行", "食品贸易", "物流",
]  # fmt: skip

COMPANY_SUFFIX = "有限公司"

# Fixed names of the two dealers the demo logins belong to.
DEMO_DEALER_NAME = "上海恒丰商贸有限公司"
OTHER_DEALER_NAME = "杭州永盛食品有限公司"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_NAMES = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "海燕", "志强",
    "文博", "子涵", "欣怡", "浩然", "雨萱", "宇航", "思远", "佳琪", "俊杰", "晨曦",
]  # fmt: skip

# --- Catalogue -------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    parent: str | None


CATEGORIES = [
    CategorySpec("TEA", "茶叶", "Tea", None),
    CategorySpec("TEA-A", "新品茶 A", "New launch tea A", "TEA"),
    CategorySpec("TEA-B", "绿茶", "Green tea", "TEA"),
    CategorySpec("TEA-B-LJ", "龙井", "Longjing", "TEA-B"),
    CategorySpec("TEA-B-OT", "其他绿茶", "Other green tea", "TEA-B"),
    CategorySpec("TEA-C", "经典名茶 C", "Classic tea C", "TEA"),
    CategorySpec("TEA-C-PE", "普洱", "Pu'er", "TEA-C"),
    CategorySpec("TEA-C-OL", "乌龙", "Oolong", "TEA-C"),
    CategorySpec("TEA-C-BK", "红茶", "Black tea", "TEA-C"),
    CategorySpec("NOODLE", "方便面", "Instant noodles", None),
    CategorySpec("NOODLE-BAG", "袋装面", "Bag noodles", "NOODLE"),
    CategorySpec("NOODLE-CUP", "桶装面", "Cup noodles", "NOODLE"),
    CategorySpec("NOODLE-PREM", "高端面", "Premium noodles", "NOODLE"),
    CategorySpec("DRINK", "饮料", "Drinks", None),
    CategorySpec("DRINK-TEA", "茶饮料", "Tea drinks", "DRINK"),
    CategorySpec("DRINK-JUICE", "果汁饮料", "Juice drinks", "DRINK"),
    CategorySpec("DRINK-WATER", "饮用水", "Drinking water", "DRINK"),
    CategorySpec("GIFT", "赠品", "Gifts", None),
]

# The new-launch category: launched in the last weeks, so it has no ERP history yet.
NEW_LAUNCH_CATEGORY = "TEA-A"
# The category the demo dealer must have bought ≥ ¥100,000 of in the last 365 days.
DEMO_CATEGORY = "TEA-C"
DEMO_CATEGORY_TARGET = Decimal("120000.00")


@dataclass(frozen=True)
class Spec:
    """A pack size: SKU suffix, name suffixes, unit, price and quantity factors."""

    code: str
    name: str
    name_en: str
    unit: str
    price_factor: Decimal
    qty_factor: float


TEA_SPECS = [
    Spec("250G", "250g 礼盒", "250 g gift box", "box", Decimal("1"), 1.0),
    Spec("100G", "100g 袋装", "100 g bag", "bag", Decimal("0.42"), 2.0),
    Spec("50G", "50g 罐装", "50 g tin", "box", Decimal("0.25"), 3.0),
    Spec("500G", "500g 散装", "500 g bulk", "bag", Decimal("1.8"), 0.5),
    Spec("C12", "250g×12盒/箱", "250 g × 12 boxes", "case", Decimal("11.5"), 0.1),
]
BAG_NOODLE_SPECS = [
    Spec("24B", "24袋/箱", "24 bags per case", "case", Decimal("1"), 1.0),
    Spec("5P", "五连包 ×6/箱", "5-pack × 6 per case", "case", Decimal("1.2"), 0.8),
    Spec("30B", "30袋/箱", "30 bags per case", "case", Decimal("1.22"), 0.8),
    Spec("40B", "40袋/箱", "40 bags per case", "case", Decimal("1.6"), 0.6),
]
CUP_NOODLE_SPECS = [
    Spec("12C", "12桶/箱", "12 cups per case", "case", Decimal("1"), 1.0),
    Spec("6C", "6桶/箱", "6 cups per case", "carton", Decimal("0.52"), 1.6),
    Spec("24C", "24杯/箱 (小杯)", "24 mini cups per case", "case", Decimal("1.4"), 0.7),
    Spec("3C", "3桶礼包", "3-cup gift pack", "set", Decimal("0.27"), 2.0),
]
DRINK_SPECS = [
    Spec("500X15", "500ml×15瓶/箱", "500 ml × 15 bottles", "case", Decimal("1"), 1.0),
    Spec("1LX12", "1L×12瓶/箱", "1 L × 12 bottles", "case", Decimal("1.45"), 0.6),
    Spec("250X24", "250ml×24盒/箱", "250 ml × 24 cartons", "carton", Decimal("0.9"), 1.2),
    Spec("330X24", "330ml×24罐/箱", "330 ml × 24 cans", "case", Decimal("1.3"), 0.8),
]  # fmt: skip

# Editions multiply the assortment when many products are asked for.
# code, name, English name, price factor
SERIES = [
    ("", "", "", Decimal("1")),
    ("CL", "经典装", "Classic", Decimal("1")),
    ("UP", "升级版", "Upgraded", Decimal("1.12")),
    ("FM", "家庭装", "Family pack", Decimal("0.95")),
    ("FS", "节日版", "Festival edition", Decimal("1.15")),
    ("LT", "限量版", "Limited edition", Decimal("1.3")),
    ("EC", "电商版", "E-commerce edition", Decimal("0.97")),
    ("HR", "餐饮装", "Food-service pack", Decimal("0.9")),
    ("GF", "礼品装", "Gift pack", Decimal("1.2")),
    ("EX", "出口版", "Export edition", Decimal("1.05")),
    ("LS", "低糖版", "Less-sugar", Decimal("1.03")),
    ("RG", "区域特供", "Regional special", Decimal("0.98")),
]


@dataclass(frozen=True)
class BaseProduct:
    """A product line: SKU stem, names, its category, a list price for the base spec
    and the usual order quantity of the base spec."""

    stem: str
    name: str
    name_en: str
    category: str
    price: Decimal
    quantity: int


def _base(stem, name, name_en, category, price, quantity):
    return BaseProduct(stem, name, name_en, category, Decimal(price), quantity)


BASE_PRODUCTS = [
    # New launch tea A
    _base("BTOOLONG", "白桃乌龙", "White peach oolong", "TEA-A", "88", 30),
    _base("GHLJ", "桂花龙井", "Osmanthus Longjing", "TEA-A", "128", 20),
    _base("COLDBREW", "冷泡茶", "Cold brew tea", "TEA-A", "69", 40),
    _base("JASSNOW", "茉莉雪芽", "Jasmine snow bud", "TEA-A", "98", 25),
    # Longjing
    _base("XHLJ", "西湖龙井", "West Lake Longjing", "TEA-B-LJ", "368", 12),
    _base("MQLJ", "明前龙井", "Pre-Qingming Longjing", "TEA-B-LJ", "588", 8),
    _base("DFLJ", "大佛龙井", "Dafo Longjing", "TEA-B-LJ", "238", 15),
    _base("QTLJ", "钱塘龙井", "Qiantang Longjing", "TEA-B-LJ", "198", 18),
    # Other green tea
    _base("BLC", "洞庭碧螺春", "Dongting Biluochun", "TEA-B-OT", "298", 12),
    _base("XYMJ", "信阳毛尖", "Xinyang Maojian", "TEA-B-OT", "198", 15),
    _base("HSMF", "黄山毛峰", "Huangshan Maofeng", "TEA-B-OT", "218", 15),
    _base("LAGP", "六安瓜片", "Lu'an Guapian", "TEA-B-OT", "258", 12),
    # Pu'er
    _base("PESHU", "普洱熟茶饼", "Ripe Pu'er cake", "TEA-C-PE", "258", 20),
    _base("PESHENG", "普洱生茶饼", "Raw Pu'er cake", "TEA-C-PE", "328", 15),
    _base("PETUO", "普洱沱茶", "Pu'er tuocha", "TEA-C-PE", "128", 30),
    _base("PEGONG", "宫廷普洱", "Imperial Pu'er", "TEA-C-PE", "458", 10),
    # Oolong
    _base("TGY", "安溪铁观音", "Anxi Tieguanyin", "TEA-C-OL", "238", 20),
    _base("DHP", "武夷大红袍", "Wuyi Da Hong Pao", "TEA-C-OL", "398", 12),
    _base("FHDC", "凤凰单丛", "Phoenix Dancong", "TEA-C-OL", "268", 15),
    _base("DDWL", "冻顶乌龙", "Dongding oolong", "TEA-C-OL", "218", 15),
    # Black tea
    _base("ZSXZ", "正山小种", "Lapsang souchong", "TEA-C-BK", "188", 20),
    _base("QMHC", "祁门红茶", "Keemun black tea", "TEA-C-BK", "168", 20),
    _base("DIANHONG", "滇红", "Dianhong black tea", "TEA-C-BK", "148", 25),
    _base("JJM", "金骏眉", "Jin Jun Mei", "TEA-C-BK", "428", 10),
    # Bag noodles
    _base("HSNR", "红烧牛肉面", "Braised beef noodles", "NOODLE-BAG", "56", 120),
    _base(
        "LTSC",
        "老坛酸菜牛肉面",
        "Pickled cabbage beef noodles",
        "NOODLE-BAG",
        "58",
        100,
    ),
    _base("XLNR", "香辣牛肉面", "Spicy beef noodles", "NOODLE-BAG", "56", 90),
    _base("XXYB", "鲜虾鱼板面", "Shrimp and fish cake noodles", "NOODLE-BAG", "55", 70),
    _base("CXPG", "葱香排骨面", "Scallion pork rib noodles", "NOODLE-BAG", "55", 60),
    # Cup noodles
    _base("HSNRT", "红烧牛肉桶面", "Braised beef cup noodles", "NOODLE-CUP", "62", 90),
    _base(
        "TJNR", "藤椒牛肉面", "Green Sichuan pepper beef cup", "NOODLE-CUP", "66", 70
    ),
    _base("FQJD", "番茄鸡蛋面", "Tomato and egg cup noodles", "NOODLE-CUP", "62", 60),
    _base("SLF", "酸辣粉", "Hot and sour glass noodles", "NOODLE-CUP", "72", 80),
    # Premium noodles
    _base("GTLM", "骨汤拉面", "Bone broth ramen", "NOODLE-PREM", "96", 40),
    _base("TGLM", "日式豚骨拉面", "Tonkotsu ramen", "NOODLE-PREM", "108", 30),
    _base("CYBM", "葱油拌面", "Scallion oil mixed noodles", "NOODLE-PREM", "88", 40),
    _base("XJHB", "蟹黄拌面", "Crab roe mixed noodles", "NOODLE-PREM", "128", 20),
    # Tea drinks
    _base("LCYL", "绿茶饮料", "Green tea drink", "DRINK-TEA", "45", 150),
    _base("BHC", "冰红茶", "Iced black tea", "DRINK-TEA", "45", 180),
    _base("NMC", "柠檬茶", "Lemon tea", "DRINK-TEA", "52", 140),
    _base("MLMC", "茉莉蜜茶", "Jasmine honey tea", "DRINK-TEA", "48", 110),
    _base("WTWL", "无糖乌龙茶", "Sugar-free oolong tea drink", "DRINK-TEA", "58", 90),
    # Juice drinks
    _base("CZ", "橙汁饮料", "Orange juice drink", "DRINK-JUICE", "54", 100),
    _base("SMT", "水蜜桃汁", "Peach juice drink", "DRINK-JUICE", "58", 80),
    _base("SMTANG", "酸梅汤", "Sour plum drink", "DRINK-JUICE", "48", 90),
    _base("FMYZ", "蜂蜜柚子茶", "Honey citron tea", "DRINK-JUICE", "62", 70),
    # Water
    _base("TRS", "饮用天然水", "Natural drinking water", "DRINK-WATER", "28", 300),
    _base("SDS", "苏打水", "Soda water", "DRINK-WATER", "42", 150),
    _base("DJZS", "电解质水", "Electrolyte water", "DRINK-WATER", "60", 100),
]

SPECS_BY_ROOT = {
    "TEA": TEA_SPECS,
    "NOODLE-BAG": BAG_NOODLE_SPECS,
    "NOODLE-CUP": CUP_NOODLE_SPECS,
    "NOODLE-PREM": CUP_NOODLE_SPECS,
    "DRINK": DRINK_SPECS,
}


@dataclass(frozen=True)
class GiftSpec:
    sku: str
    name: str
    name_en: str
    unit: str
    cost: Decimal
    list_price: Decimal
    in_stock: bool = True


GIFTS = [
    GiftSpec("GIFT-CUP", "茶杯", "Tea cup", "piece", Decimal("8.50"), Decimal("18.00")),
    GiftSpec("GIFT-BAG", "环保袋", "Tote bag", "piece", Decimal("4.20"), Decimal("10.00")),
    # Out of stock everywhere, so promotions that give it leave gifts owed.
    GiftSpec("GIFT-TOWEL", "毛巾", "Towel", "piece", Decimal("6.80"), Decimal("15.00"),
             in_stock=False),
    GiftSpec("GIFT-TIN", "茶叶罐", "Tea tin", "piece", Decimal("12.00"), Decimal("29.00")),
    GiftSpec("GIFT-UMB", "雨伞", "Umbrella", "piece", Decimal("15.00"), Decimal("35.00")),
    GiftSpec("GIFT-SET", "旅行茶具套装", "Travel tea set", "set", Decimal("45.00"),
             Decimal("98.00")),
]  # fmt: skip

# code, name, English name
WAREHOUSES = [
    ("SH", "上海仓", "Shanghai warehouse"),
    ("WH", "武汉仓", "Wuhan warehouse"),
    ("GZ", "广州仓", "Guangzhou warehouse"),
]

# Seasonal demand by calendar month (January first), per root category: tea before
# the Spring Festival and the Mid-Autumn Festival, drinks in summer, noodles in winter.
SEASONALITY = {
    "TEA": (1.5, 1.3, 1.0, 1.1, 0.9, 0.8, 0.7, 0.8, 1.3, 1.1, 0.9, 1.2),
    "NOODLE": (1.3, 1.2, 1.0, 0.9, 0.9, 0.8, 0.8, 0.9, 1.0, 1.1, 1.1, 1.3),
    "DRINK": (0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 1.7, 1.6, 1.2, 0.9, 0.7, 0.7),
}

# --- Demo logins -----------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    note: str


DEMO_DEALER = "D00001"
OTHER_DEALER = "D00002"

LOGINS = [
    Login("dealer owner", "demo", "demo-pass", "D00001, phone 13800000001"),
    Login("dealer buyer", "demo-buyer", "demo-pass", "D00001"),
    Login("dealer viewer", "demo-viewer", "demo-pass", "D00001, read only"),
    Login("other dealer", "other", "other-pass", "D00002, English UI"),
    Login("sales rep", "rep", "rep-pass", "EAST-SH, serves D00001"),
    Login("sales manager", "manager", "manager-pass", "EAST region"),
    Login("marketing", "marketing", "marketing-pass", "staff"),
    Login("admin", "admin", "admin-pass", "superuser"),
]
LOGIN_USERNAMES = [login.username for login in LOGINS]
