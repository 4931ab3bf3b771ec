"""The registry and a published set on the Beijing → Badong demo: every figure drills down to its
value, the article's figures are in the set, and an edit shows in the diff, not in the snapshot."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from duikou.core.permissions import SYSTEM
from duikou.figures.models import PublishedFigure
from duikou.figures.selectors import figure_set_diff
from duikou.funds.models import FundTransaction
from duikou.funds.services import fund_transaction_update
from duikou.organisations.selectors import pairing_find
from duikou.reports import figures as reg

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("y1", "y2"), [(1992, 2024), (2021, 2025), (2024, 2024)])
def test_every_figure_drills_down_to_its_value_on_the_demo(demo_db, y1, y2):
    for supporter, user in (("北京市", SYSTEM), ("房山区", SYSTEM)):
        pairing = pairing_find(actor=user, supporter=supporter, recipient="巴东县")
        ctx = reg.figure_context(actor=user, pairing=pairing, year_from=y1, year_to=y2)
        values = reg.evaluate(ctx, list(reg.FIGURES.values()))
        for fig in reg.FIGURES.values():
            rows = list(reg.records(ctx, fig).values_list(fig.measure.field, flat=True))
            assert fig.measure.of_rows(rows) == values[fig.key], (supporter, fig.key)


def test_published_set_keeps_the_article_figures_and_the_diff_shows_an_edit(demo_db):
    out = io.StringIO()
    call_command("figures", "publish", "--supporter", "北京市", "--recipient", "巴东县", "--from", "2021", "--to",
                 "2024", "--name", "2024年座谈会", stdout=out)
    pairing = pairing_find(actor=SYSTEM, supporter="北京市", recipient="巴东县")
    s = pairing.figure_sets.get(name="2024年座谈会")
    figures = {pf.key: pf for pf in s.figures.all()}
    # "'十四五'以来,实施公共服务项目11个,援助资金7710万元"
    assert figures["public_services_projects_14th"].value == 11
    assert figures["public_services_funds_14th"].value == Decimal("77100000.00")
    assert figures["aid_funds"].value == Decimal("228430000.00")
    assert figures["aid_funds_cumulative"].year_from == 1992
    assert Decimal("1140000000") <= figures["aid_funds_cumulative"].value < Decimal("1150000000")
    assert figures["training_person_times"].value == 1400
    alloc = FundTransaction.objects.get(kind="allocation", project__name="青龙桥小学教学楼")
    assert alloc.pk in figures["public_services_funds_14th"].record_ids
    fund_transaction_update(actor=SYSTEM, instance=alloc, amount=Decimal("9100000"))
    # the snapshot is as published
    assert PublishedFigure.objects.get(pk=figures["aid_funds"].pk).value == Decimal("228430000.00")
    diffs = {d.figure.key: d for d in figure_set_diff(actor=SYSTEM, figure_set=s)}
    for key in ("aid_funds", "public_services_funds_14th", "aid_funds_cumulative"):
        assert diffs[key].now - diffs[key].then == Decimal("100000.00"), key
        assert diffs[key].changed == [alloc.pk] and not diffs[key].added and not diffs[key].removed
    assert diffs["public_services_projects_14th"].same and diffs["training_person_times"].same
    out = io.StringIO()
    call_command("figures", "diff", str(s.pk), "--json", stdout=out)
    changed = {x["key"] for x in json.loads(out.getvalue())["figures"] if x["changed"]}
    assert {"aid_funds", "public_services_funds_14th", "task_funds.public_services"} <= changed
