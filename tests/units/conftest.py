"""The Vĩnh Linh registry loaded from its fixture, and a matcher over it."""

import pytest

from units.demo import load_registry
from units.matching import UnitMatcher


@pytest.fixture
def vinh_linh(db):
    """The whole registry of fixtures/units/vinh_linh.json in the test database."""
    load_registry()


@pytest.fixture
def matcher(vinh_linh) -> UnitMatcher:
    return UnitMatcher()
