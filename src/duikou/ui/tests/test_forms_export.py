"""A service's errors on the form; text that a spreadsheet would run as a formula."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from duikou.plans.models import Plan
from duikou.ui.export import safe_text
from duikou.ui.forms import ServiceForm, add_service_errors


class TitleOnly(ServiceForm):
    class Meta:
        model = Plan
        fields = ["title"]


@pytest.mark.parametrize(("text", "shown"), [
    ("=1+1", "'=1+1"), ("+86 123", "'+86 123"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=x", "'\t=x"),
    ("巴东县", "巴东县"), ("a=b", "a=b"), ("", ""),
])
def test_safe_text(text, shown):
    assert safe_text(text) == shown


def test_errors_land_next_to_the_field_or_on_top_with_the_fields_name():
    form = TitleOnly(data={"title": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({
        "title": "标题重复。", "start_year": "年度不在结对期间内。", "__all__": "整体错误。",
    }))
    assert form.errors["title"] == ["标题重复。"]
    top = form.non_field_errors()
    assert f"{Plan._meta.get_field('start_year').verbose_name}: 年度不在结对期间内。" in top
    assert "整体错误。" in top


def test_a_plain_validation_error_goes_on_top():
    form = forms.Form(data={})
    form.is_valid()
    add_service_errors(form, ValidationError("不能保存。"))
    assert form.non_field_errors() == ["不能保存。"]
