"""What the public sources say, as data. Every value here is cited; the generator (``history.py``)
fills in only what these leave open, and marks what it makes as illustrative.

ARTICLE: 《心系三峡、情暖巴东，北京浇灌"对口支援"之花！》, 发展北京 (北京市发展和改革委员会), 2024-10-23.
"""

from decimal import Decimal

__all__ = [
    "ARTICLE",
    "BADONG_TOWNSHIPS",
    "BEIJING_MEMBER_UNITS",
    "BEIJING_OFFICE_NAMES",
    "CJBD_2021",
    "COOPERATION_AGREEMENTS",
    "ENTERPRISES",
    "KNOWN_YEAR_TOTALS",
    "MEETING_2024",
    "NAMED_PROJECTS",
    "RESERVOIR_COUNTIES",
    "SUB_PAIRINGS",
    "SUPPORTERS_BY_COUNTY",
    "SUPPORTER_CITIES",
    "SUPPORTER_PROVINCES",
]

ARTICLE = "《心系三峡、情暖巴东，北京浇灌“对口支援”之花！》，发展北京，2024-10-23"
CJBD_2021 = "https://cjbd.com.cn/dkzy/2265936.html"
CNHUBEI_2015 = "https://bbs.cnhubei.com/thread-4048809-1-1.html"
DOMAIN_3 = "domain guide §3 (county and supporter sources listed there)"

# The 19 reservoir counties (domain guide §3): Hubei 4, Chongqing 15.
RESERVOIR_COUNTIES = [
    "422823", "420506", "420527", "420526",
    "500101", "500102", "500237", "500238", "500236", "500235", "500233", "500230", "500154", "500156",
    "500240", "500115", "500112", "500113", "500116",
]

# Supporters named in the domain guide: 17 of the "21 provinces" (安徽, 江西, 云南 have no known recipient ❓).
SUPPORTER_PROVINCES = {
    "北京市": "110000", "天津市": "120000", "河北省": "130000", "辽宁省": "210000", "吉林省": "220000",
    "黑龙江省": "230000", "上海市": "310000", "江苏省": "320000", "浙江省": "330000", "安徽省": "340000",
    "福建省": "350000", "江西省": "360000", "山东省": "370000", "湖南省": "430000", "广东省": "440000",
    "四川省": "510000", "云南省": "530000",
}
# The "10 大城市" (⚠ a count match, domain guide §3).
SUPPORTER_CITIES = {
    "沈阳市": "210100", "大连市": "210200", "南京市": "320100", "宁波市": "330200", "厦门市": "350200",
    "青岛市": "370200", "武汉市": "420100", "广州市": "440100", "深圳市": "440300", "珠海市": "440400",
}

# county code → supporters (provinces or cities), domain guide §3; ⚠ marks inferred ones.
SUPPORTERS_BY_COUNTY = {
    "422823": ["北京市"],
    "420506": ["上海市", "青岛市", "黑龙江省"],
    "420527": ["江苏省", "武汉市"],
    "420526": ["湖南省", "大连市"],
    "500101": ["上海市", "天津市", "福建省", "宁波市", "南京市", "厦门市"],
    "500102": ["浙江省"],
    "500237": ["广东省"],
    "500238": ["吉林省"],
    "500236": ["辽宁省"],
    "500235": ["江苏省"],
    "500233": ["山东省", "沈阳市"],
    "500230": ["河北省"],
    "500154": ["四川省"],
    "500156": ["黑龙江省"],
    "500240": ["黑龙江省"],
}

# (parent supporter, sub-supporter name, sub-supporter division, parent org of the sub-supporter, county)
SUB_PAIRINGS = [
    ("北京市", "房山区", "110111", "北京市", "422823"),
    ("上海市", "静安区", "310106", "上海市", "420506"),
    ("上海市", "黄浦区", "310101", "上海市", "500101"),
    ("江苏省", "常州市", "320400", "江苏省", "420527"),
    ("江苏省", "常州市", "320400", "江苏省", "500235"),
    ("广东省", "深圳市", "440300", None, "500237"),
    ("广东省", "广州市", "440100", None, "500237"),
    ("广东省", "珠海市", "440400", None, "500237"),
]

# Beijing's office for this work, as named over time (domain guide §3).
BEIJING_OFFICE_NAMES = [
    ("北京市扶贫支援办", None, "2021-12-31", "http://0514f.cn/c/2020-09-05/2661065.shtml (as of 2020)"),
    ("北京市支援合作办（支援合作四处）", "2022-01-01", "2023-12-31",
     "https://zyhzb.beijing.gov.cn/gzdt2022/202208/t20220801_2783761.html (as of 2022)"),
    ("北京市发展和改革委员会（对口协作合作处）", "2024-01-01", None, ARTICLE),
]

BEIJING_MEMBER_UNITS = [
    ("北京市教育委员会", "public_services", "教育", "组织北京优质学校与巴东县学校结对，支持校舍建设和教师培训。"),
    ("北京市卫生健康委员会", "public_services", "卫健", "组织医院结对帮扶，支持巴东县医疗机构和中医药合作。"),
    ("北京市农业农村局", "industry", "农业", "支持巴东县中药材、茶叶、高山蔬菜等特色产业发展。"),
    ("北京市商务局", "industry", "消费帮扶", "将巴东县特色农产品纳入北京消费帮扶体系，拓展首都消费市场。"),
    ("北京市文化和旅游局", "opening_up", "文旅", "推介巴东文旅资源，组织京巴文旅交流。"),
    ("北京市生态环境局", "ecology", "生态治理", "支持库区生态保护和环境治理项目。"),
    ("北京市人力资源和社会保障局", "urban_rural", "人才交流", "组织干部人才培训和劳务协作。"),
]

BADONG_TOWNSHIPS = [
    "信陵镇", "东瀼口镇", "沿渡河镇", "官渡口镇", "茶店子镇", "绿葱坡镇", "大支坪镇", "野三关镇",
    "清太坪镇", "水布垭镇", "溪丘湾乡", "金果坪乡",
]

# Figures per budget year the sources give (yuan, free aid, city + district).
KNOWN_YEAR_TOTALS = {
    2015: (Decimal("34010000"), CNHUBEI_2015),
    2016: (Decimal("36730000"), CNHUBEI_2015),
    2020: (Decimal("51130000"), ARTICLE + "：以2020年市区两级对口支援资金5113万元为基准"),
    2021: (Decimal("51130000"), CJBD_2021 + "：市级4513万元（8个项目）+ 房山区600万元（2个项目）"),
}

# The article's named projects: (code, name, year, task, sector, amount, beneficiaries, outputs, status, note)
NAMED_PROJECTS = [
    ("BJBD-2023-QLQ", "青龙桥小学教学楼", 2023, "public_services", "education", Decimal("9000000"),
     [("师生", 1200, "more_than")], [("教学楼", Decimal("1"), "栋")], "closed",
     "改善了1200多名师生的教学环境，有效缓解了超大班教学问题。"),
    ("BJBD-2023-XTZX", "巴东县血液透析中心改造工程", 2023, "public_services", "health", Decimal("7500000"),
     [], [("血液透析中心", Decimal("1"), "个")], "handed_over",
     "有效解决移民小区就医难问题。"),
    ("BJBD-2024-SJK", "水健康产业园", 2024, "industry", "manufacturing", Decimal("20000000"),
     [], [("产业园", Decimal("1"), "个")], "completed",
     "现已投产使用，推动神农溪富锶矿泉水上市并进入北京、上海、广东等地市场。"),
    ("BJBD-2024-SWYY", "生物医药产业链建设", 2024, "industry", "agriculture", Decimal("20000000"),
     [], [], "in_progress",
     "在高端中医药康养、道地药材培育、药材种植深加工及科技成果转化等方面开展合作。"),
]

MEETING_2024 = {
    "title": "2024年全国对口支援三峡库区合作工作座谈会",
    "date": "2024-10-23",
    "division": "420500",
    "place": "湖北省宜昌市",
    "speakers": "王宝恩（水利部党组成员、副部长）；于鸷隆（北京市发展改革委党组成员、副主任（正局长级），对口支援省区市代表）",
    "participants": "水利部、国家发展改革委有关司局负责同志，21个对口支援省区市、10个大城市对口支援工作管理部门有关负责同志，"
                    "三峡库区19个县（区）有关负责同志",
    "summary": "对北京市支持巴东县教育、中医药产业等领域发展取得的成效给予充分肯定；保持政策不变、力度不减。",
}

# Enterprises brought to Badong by the cadres (十四五以来; no amounts given).
ENTERPRISES = [
    ("时珍堂药业", "医药", "2021-11-18"),
    ("北汽新能源", "新能源汽车", "2022-09-06"),
    ("博宇工贸", "工贸", "2023-05-16"),
]

# (title, kind, parties, signed_on or None, year, content)
COOPERATION_AGREEMENTS = [
    ("首都医科大学中医药学院与巴东县战略合作协议", "strategic", ["首都医科大学中医药学院"], "2024-07-10", 2024,
     "在高端中医药康养、道地药材培育、中医药人才交流、药材种植深加工以及科技成果转化等方面开展深度合作。"),
    ("北京中医药大学巴东临床合作基地", "clinical_base", ["北京中医药大学"], None, 2024, "建立临床合作基地。"),
    ("中国中医科学院巴东临床合作基地", "clinical_base", ["中国中医科学院"], None, 2024, "建立临床合作基地。"),
    ("首都医科大学巴东临床合作基地", "clinical_base", ["首都医科大学"], None, 2024, "建立临床合作基地。"),
]
