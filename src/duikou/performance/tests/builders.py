"""A project with 青龙桥小学's tree (the demo's), its funds and actuals, for the tests."""

import datetime as dt
from decimal import Decimal

from duikou.core.choices import FundStream
from duikou.funds.models import FundTransaction
from duikou.testing.factories import (
    FundAllocationFactory,
    FundTransactionFactory,
    PerformanceIndicatorFactory,
    ProjectFactory,
)

D = Decimal

NINE_MILLION = D("9000000")

QLQ_TREE = [
    # level1, level2, name, operator, target, unit, weight, actual
    ("output", "quantity", "新建教学楼", "eq", D(1), "栋", D(20), D(1)),
    ("output", "quality", "工程竣工验收合格率", "eq", D(100), "%", D(10), D(100)),
    ("output", "timeliness", "项目按期完工率", "eq", D(100), "%", D(10), D(100)),
    ("output", "cost", "项目总投资", "lte", D(900), "万元", D(10), D(900)),
    ("effect", "social", "受益师生人数", "gte", D(1200), "人", D(15), D(1200)),
    ("effect", "social", "缓解超大班教学问题", "qualitative", "有效缓解超大班", "", D(15), "excellent"),
    ("satisfaction", "beneficiary", "师生及家长满意度", "gte", D(90), "%", D(10), D(96)),
]


def qlq_project(pairing, *, year=2023, spent=NINE_MILLION, actuals=True, overrides=None, **project):
    """The project, a 900万 free-aid allocation, ``spent`` of it spent (drawing on the allocation)
    and the tree, with actuals unless ``actuals`` is false; ``overrides``: {name: actual}."""
    project = ProjectFactory(pairing=pairing, name=project.pop("name", "青龙桥小学教学楼"), start_year=year,
                             end_year=project.pop("end_year", year), budget=D("9000000"), **project)
    alloc = FundAllocationFactory(pairing=pairing, project=project, year=year, amount=D("9000000"))
    if spent:
        FundTransactionFactory(kind=FundTransaction.Kind.EXPENDITURE, pairing=pairing, allocation=alloc, year=year,
                               amount=spent)
    # money of the other stream never counts
    FundTransactionFactory(kind=FundTransaction.Kind.EXPENDITURE, pairing=pairing, project=project, year=year,
                           stream=FundStream.ECON, amount=D("5000000"))
    overrides = overrides or {}
    for order, (l1, l2, name, op, target, unit, weight, actual) in enumerate(QLQ_TREE):
        actual = overrides.get(name, actual) if actuals else None
        qualitative = op == "qualitative"
        PerformanceIndicatorFactory(
            project=project, level1=l1, level2=l2, name=name, operator=op, unit=unit, weight=weight, order=order,
            target_value=None if qualitative else target, target_text=target if qualitative else "",
            actual_value=None if qualitative or actual is None else actual,
            actual_rating=actual if qualitative and actual else "",
            actual_recorded_on=dt.date(year, 12, 15) if actual is not None else None,
        )
    return project
