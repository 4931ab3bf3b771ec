"""The privacy check: personal data found (with real-looking, checksum-valid but made-up numbers)
and the numbers a notice must keep (amounts, document numbers, dates, codes, the 12317 hotline)."""

import pytest
from django.utils import translation

from duikou.core.privacy import (
    AGGREGATE_MIN,
    check_publishable,
    find_personal_data,
    is_valid_id_number,
    luhn_ok,
    mask,
    privacy_messages,
)

# Made-up numbers with valid check digits (GB 11643 for IDs, Luhn for cards).
ID_18 = "422823199003071234"  # 巴东县 area code, born 1990-03-07
ID_18_X = "11010519491231002X"  # check digit X
ID_15 = "422823900307123"  # old format, born 1990-03-07
CARD_19 = "6222021234567890128"
CARD_16 = "6217000012345670"


def kinds(text, **kwargs):
    return [f.kind for f in find_personal_data(text, **kwargs)]


def test_the_fixture_numbers_are_valid():
    assert is_valid_id_number(ID_18) and is_valid_id_number(ID_18_X) and is_valid_id_number(ID_15)
    assert luhn_ok(CARD_19) and luhn_ok(CARD_16)


@pytest.mark.parametrize("text", [
    f"户主身份证号{ID_18}",
    f"身份证：{ID_18_X}",
    f"身份证：{ID_18_X.lower()}",
    f"旧证号{ID_15}，已换发",
])
def test_id_numbers_are_found(text):
    assert kinds(text) == ["id_number"]


@pytest.mark.parametrize("text", [
    "422823199003071238",  # wrong check digit
    "422823199013321234",  # no 13th month
    "422823********1234",  # masked, as notices may publish
    "422823199003071234567",  # part of a longer number
])
def test_not_an_id_number(text):
    assert "id_number" not in kinds(text)


@pytest.mark.parametrize("text", [
    "联系电话13812345678",
    "手机：138 1234 5678",
    "手机：138-1234-5678",
    "+86 139-0718-1234",
    "8613907181234",
    "（19907181234）",
])
def test_mobile_numbers_are_found_with_their_separators(text):
    assert kinds(text) == ["mobile"]


@pytest.mark.parametrize("text", [
    f"银行卡号 {CARD_19}",
    f"卡号{CARD_16}",
    "6222 0212 3456 7890 128",
    "存折账号：12345678901",  # an account number after 存折/账号, no Luhn digit needed
    "开户行：巴东县农商行，账号 8201-0000-1234",
])
def test_bank_numbers_are_found(text):
    assert kinds(text) == ["bank_account"]


def test_long_number_without_luhn_or_account_word_is_not_a_card():
    assert not luhn_ok("6217000012345671")
    assert kinds("编号6217000012345671") == []


@pytest.mark.parametrize("text", [
    "项目总投资1146380000.00元",
    "累计援助1,146,380,000.00元（11.4亿多元）",
    "金额13812345678.00元",  # mobile-shaped digits before a decimal point are an amount
    "总投资13000000000元",  # … or before a unit of money
    "6222021234567890128万元",
    "京巴援〔2021〕1号",
    "财预〔2020〕10号",
    "2024-10-23",
    "2024年10月23日",
    "20241023",
    "巴东县（422823）",
    "项目代码BJBD-2023-QLQ",
    "统一社会信用代码91422823MA4F3K2X1Q",
    "监督举报电话：12317",
    "政务服务热线12345",
    "县乡村振兴局办公电话0718-4321234",  # an office line outside a people field
    "（010）12345678",
    "收款账户：巴东县财政局对口支援资金专户",
    "受益师生1200多人",
])
def test_numbers_a_notice_keeps_are_not_flagged(text):
    assert find_personal_data(text) == []


def test_landlines_count_only_in_fields_about_people():
    text = "户主张某某，电话0718-4321234"
    assert kinds(text) == []
    assert kinds(text, people=True) == ["landline"]
    assert kinds("12317", people=True) == []


@pytest.mark.parametrize(("text", "found"), [
    ("张某某，患尿毒症", ["health"]),
    ("李某（残疾二级）", ["health"]),
    ("王某某 确诊 肺结核", ["health"]),
    ("重病患者3人", ["health"]),  # a small group points at people
    (f"透析患者{AGGREGATE_MIN - 1}人", ["health"]),
    (f"透析患者{AGGREGATE_MIN}人", []),  # a group's size, not anyone's health
    ("全县残疾人3000余人", []),
    ("师生1200多人", []),
])
def test_health_terms_in_people_fields(text, found):
    assert kinds(text, people=True) == found


def test_health_terms_outside_people_fields_are_not_checked():
    assert kinds("巴东县血液透析中心改造工程") == []
    assert kinds("县精神卫生中心、残疾人康复中心建设") == []
    assert kinds("巴东县血液透析中心", people=True) == ["health"]


def test_findings_are_masked_and_in_order():
    found = find_personal_data(f"手机13812345678，身份证{ID_18}")
    assert [f.kind for f in found] == ["mobile", "id_number"]
    assert found[0].excerpt == "138******78"
    assert ID_18 not in found[1].excerpt and found[1].excerpt.startswith("422") and found[1].excerpt.endswith("34")
    assert mask("12317") == "12317"


def test_check_publishable_walks_every_string_and_names_the_place():
    content = {
        "labels": {"note": "其他说明"},
        "title": "巴东县2025年度对口支援项目库公示",
        "note": f"联系人身份证{ID_18}",
        "sections": [
            {"label": "二、项目情况", "rows": [
                {"key": "content", "label": "建设内容", "value": "教学楼1栋，联系人13812345678"},
                {"key": "beneficiaries", "label": "受益对象", "value": [{"text": "张某某（残疾）", "people": True}]},
                {"key": "name", "label": "项目名称", "value": "巴东县血液透析中心改造工程"},
            ]},
            {"label": "三、项目安排", "rows": [
                {"label": "某项目", "cells": [{"label": "预期目标", "value": [{"text": "惠及0718-4321234"}]}]},
            ]},
        ],
        "supervision_phone": "12317",
    }
    found = [(f.field, f.finding.kind) for f in check_publishable(content)]
    assert found == [
        ("其他说明", "id_number"),
        ("二、项目情况 › 建设内容", "mobile"),
        ("二、项目情况 › 受益对象", "health"),
    ]


def test_clean_content_is_publishable():
    assert check_publishable({"title": "公示", "rows": [{"label": "资金规模", "value": "900.00万元"}]}) == []


def test_messages_name_the_place_and_the_kind_but_not_the_number():
    with translation.override("en"):
        [message] = privacy_messages(check_publishable({"label": "建设单位及责任人", "value": "张某 13812345678"}))
    assert "建设单位及责任人" in message and "mobile phone number" in message
    assert "13812345678" not in message and "138******78" in message
