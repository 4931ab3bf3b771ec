import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Labels and messages in English (the msgids), whatever the Chinese catalogue says."""
    with translation.override("en"):
        yield
