import pytest
from django.utils import translation

from duikou.audit.models import ObjectChange
from duikou.core.permissions import SYSTEM
from duikou.plans.services import indicator_create

pytestmark = pytest.mark.django_db


def test_str_and_newest_first():
    first = indicator_create(actor=SYSTEM, key="援建项目", unit="个")
    second = indicator_create(actor=SYSTEM, key="培训人次", unit="人次")
    latest = list(ObjectChange.objects.all()[:2])
    assert [c.object_id for c in latest] == [str(second.pk), str(first.pk)]
    with translation.override("en"):
        assert str(latest[0]) == "created 培训人次 (人次)"
