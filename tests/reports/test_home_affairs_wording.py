"""The office a letter puts in charge of follow-up is the authority's own: Vĩnh Linh's letters keep
"Phòng Nội vụ" as the seeds print it, the province's say "Sở Nội vụ"."""

import pytest

from reports.wording import DEFAULTS_BY_KIND, agency, localise
from units import demo as units_demo
from units.models import Unit

pytestmark = pytest.mark.django_db


def every_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(every_text(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return " ".join(every_text(v) for v in value)
    return ""


@pytest.fixture
def roots(db):
    units_demo.load_registry()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    return {"district": Unit.objects.get(name="UBND huyện Vĩnh Linh"),
            "province": Unit.objects.get(authority__level="province")}


def test_the_province_puts_its_own_office_in_charge_and_vinh_linh_keeps_the_seeds_words(roots):
    district, province = agency(roots["district"]), agency(roots["province"])
    for kind, defaults in DEFAULTS_BY_KIND.items():
        seeds = every_text(defaults)
        if "Phòng Nội vụ" not in seeds:
            continue
        assert every_text(localise(defaults, district)).count("Phòng Nội vụ") == seeds.count("Phòng Nội vụ"), kind
        in_province = every_text(localise(defaults, province))
        assert "Phòng Nội vụ" not in in_province, kind
        assert in_province.count("Sở Nội vụ") == seeds.count("Phòng Nội vụ"), kind
