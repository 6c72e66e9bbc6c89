import datetime

import pytest

from scoring.models import Period
from units.demo import load_registry


@pytest.fixture
def registry(db):
    load_registry()


@pytest.fixture
def period(db):
    return Period.objects.create(code="2023-H1", name="6 tháng đầu năm 2023", kind="half_year", year=2023,
                                 start=datetime.date(2022, 12, 15), end=datetime.date(2023, 6, 14))


@pytest.fixture
def reviewer(django_user_model):
    return django_user_model.objects.create_user("nhap-lieu", password="x")


def table_dump():
    """Every row of the tables an import could touch, to prove a refused file changed nothing."""
    from documents.models import ImportBatch, MetricValue
    from units.models import Unit, UnitAlias, UnitCode

    return [list(model.objects.order_by("pk").values_list())
            for model in (ImportBatch, MetricValue, Unit, UnitAlias, UnitCode)]
