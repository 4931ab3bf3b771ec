"""The administration pages of the scheme and the indicators (where administrators edit the scheme)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from duikou.audit.models import ObjectChange
from duikou.performance.models import EvaluationScheme
from duikou.testing.factories import PerformanceIndicatorFactory

pytestmark = pytest.mark.django_db


def test_administrator_edits_the_default_scheme(client, superuser):
    client.force_login(superuser)
    scheme = EvaluationScheme.objects.get(programme=None, valid_from_year=2020)
    url = reverse("admin:performance_evaluationscheme_change", args=[scheme.pk])
    assert client.get(reverse("admin:performance_evaluationscheme_changelist")).status_code == 200
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"weight_output": "40", "weight_effect": "40", "verified": "on"})
    data = {k: v for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    scheme.refresh_from_db()
    assert (scheme.weight_output, scheme.weight_effect, scheme.verified) == (Decimal(40), Decimal(40), True)
    assert ObjectChange.objects.filter(object_id=str(scheme.pk), action=ObjectChange.Action.UPDATE).exists()


def test_the_admin_refuses_weights_that_do_not_add_up(client, superuser):
    client.force_login(superuser)
    scheme = EvaluationScheme.objects.get(programme=None, valid_from_year=2020)
    url = reverse("admin:performance_evaluationscheme_change", args=[scheme.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data["weight_output"] = "60"
    response = client.post(url, data)
    assert response.status_code == 200 and "weight_budget" in response.context["adminform"].form.errors
    scheme.refresh_from_db()
    assert scheme.weight_output == Decimal(50)


def test_indicator_admin_pages(client, superuser):
    client.force_login(superuser)
    indicator = PerformanceIndicatorFactory()
    assert client.get(reverse("admin:performance_performanceindicator_changelist")).status_code == 200
    assert client.get(reverse("admin:performance_performanceindicator_change", args=[indicator.pk])).status_code == 200
