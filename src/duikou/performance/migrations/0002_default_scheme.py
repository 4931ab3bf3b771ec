"""Seed the default evaluation scheme: every programme, from 2020 (财预〔2020〕10号).

The weights and grade bands are the widely quoted values of 财预〔2020〕10号, not checked against
the official text (``verified`` off); the partial-completion rule and the qualitative scale are
design defaults (domain guide §7). An administrator edits them or adds a programme's or a
supporter's scheme."""

from decimal import Decimal

from django.db import migrations

NAME = "财预〔2020〕10号 默认评分方案（未核实）"


def seed(apps, schema_editor):
    EvaluationScheme = apps.get_model("performance", "EvaluationScheme")
    db = schema_editor.connection.alias
    if EvaluationScheme.objects.using(db).filter(programme=None, supporter=None, valid_from_year=2020).exists():
        return
    EvaluationScheme.objects.using(db).create(
        name=NAME, valid_from_year=2020,
        weight_output=Decimal("50"), weight_effect=Decimal("30"), weight_satisfaction=Decimal("10"),
        weight_budget=Decimal("10"),
        grade_excellent_min=Decimal("90"), grade_good_min=Decimal("80"), grade_fair_min=Decimal("60"),
        partial_rule="proportional",
        rating_excellent=Decimal("100"), rating_good=Decimal("80"), rating_fair=Decimal("60"),
        rating_low=Decimal("40"), rating_poor=Decimal("0"),
        verified=False,
        source="《项目支出绩效评价管理办法》(财预〔2020〕10号), http://www.ccpitnc.org/maocudongtai/2022-12-13/332.html",
        note="UNVERIFIED: weights 产出/效益/满意度/预算执行率 = 50/30/10/10 and grades 优 ≥ 90, 良 80–<90, "
             "中 60–<80, 差 < 60 are widely quoted values, not checked against the official text. Design defaults "
             "without a source: partial completion proportional (actual/target; target/actual for ≤), capped at "
             "the weight; qualitative 优/良/中/低/差 = 100/80/60/40/0 % of the weight.",
    )


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
