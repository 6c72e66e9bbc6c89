"""The targets an authority sets its units are its data: Vĩnh Linh's are those its letters state
(seeds 002 and 003), the province's its own, and a wrong entry in the admin is refused in words."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from units import demo as units_demo
from units.choices import UnitKind
from units.models import Authority

from ..seeds import seed_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def vinh_linh(db):
    units_demo.load_registry()
    return Authority.objects.get(unit__name="UBND huyện Vĩnh Linh")


def percent_before(text: str, words: str) -> Decimal:
    """The percentage a seed sentence states right after (or before) ``words``."""
    found = re.search(rf"(\d+)%\s+{words}", text) or re.search(rf"{words}[^.;]*?(\d+)%", text)
    assert found, words
    return Decimal(found.group(1))


def test_vinh_linhs_targets_are_the_ones_its_letters_state(vinh_linh):
    seed_002, seed_003 = seed_text("002"), seed_text("003")
    assert vinh_linh.target_for("incoming_processed_rate", UnitKind.COMMUNE) == percent_before(
        seed_002, "văn bản đến phải được xử lý")
    assert vinh_linh.target_for("outgoing_signed_rate", UnitKind.DEPARTMENT) == percent_before(
        seed_002, "văn bản điện tử phải được ký số")
    assert vinh_linh.target_for("tthc_online_payment_rate", UnitKind.COMMUNE) == percent_before(
        seed_003, "thanh toán trực tuyến đạt tối thiểu")
    assert vinh_linh.target_for("tthc_online_rate", UnitKind.COMMUNE) == percent_before(
        seed_003, "hồ sơ trực tuyến đạt từ")
    assert vinh_linh.target_for("incoming_processed_rate", UnitKind.COMMUNE) == Decimal(100)
    assert vinh_linh.target_for("outgoing_signed_rate", UnitKind.DEPARTMENT) == Decimal(100)
    # Seed 003: communes and towns at 70 % online, departments at 60 %; payments 30 % and 60 %.
    assert vinh_linh.target_for("tthc_online_rate", UnitKind.COMMUNE) == Decimal(70)
    assert vinh_linh.target_for("tthc_online_rate", UnitKind.TOWN) == Decimal(70)
    assert vinh_linh.target_for("tthc_online_rate", UnitKind.DEPARTMENT) == Decimal(60)
    assert vinh_linh.target_for("tthc_online_payment_rate", UnitKind.COMMUNE) == Decimal(30)
    assert vinh_linh.target_for("outgoing_leader_signed_rate", UnitKind.COMMUNE) is None


def test_the_province_has_targets_of_its_own(vinh_linh):
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    province = Authority.objects.get(level="province")
    assert province.target_for("tthc_online_rate", UnitKind.COMMUNE) == Decimal(75)
    assert province.target_for("tthc_online_rate", UnitKind.COMMUNE) != vinh_linh.target_for(
        "tthc_online_rate", UnitKind.COMMUNE)
    assert province.target_for("outgoing_signed_rate", UnitKind.COMMUNE) is None


@pytest.mark.parametrize("targets, words", [
    ({"incoming_total": {"*": "100"}}, "không phải là chỉ số tỷ lệ"),
    ({"tthc_online_rate": {"xa": "70"}}, "không phải là loại đơn vị"),
    ({"tthc_online_rate": {"*": "170"}}, "từ 0 đến 100"),
    ({"tthc_online_rate": {"*": "bảy mươi"}}, "từ 0 đến 100"),
    ({"tthc_online_rate": "70"}, "theo loại đơn vị"),
])
def test_a_wrong_target_is_refused_saying_what_is_wrong(vinh_linh, targets, words):
    vinh_linh.metric_targets = targets
    with pytest.raises(ValidationError) as refused:
        vinh_linh.full_clean()
    assert words in " ".join(refused.value.message_dict["metric_targets"])


def test_each_unit_is_held_to_its_own_authoritys_target_on_the_pages(client, make_user):
    from datetime import date

    from django.urls import reverse

    from documents.models import ImportBatch, MetricValue
    from scoring.models import Period
    from units.choices import AuthorityLevel, Role
    from units.models import Unit
    from units.views import weakest_units

    period = Period.objects.create(code="2023-T", name="Kỳ thử", kind="half_year", year=2023,
                                   start=date(2022, 12, 15), end=date(2023, 6, 14))
    batch = ImportBatch.objects.create(file_name="den.xlsx", sha256="d" * 64, source="incoming", period=period)
    communes = {}
    for tag, target in (("A", "100"), ("B", "90")):
        root = Unit.objects.create(name=f"UBND huyện {tag}", kind=UnitKind.AUTHORITY)
        Authority.objects.create(unit=root, level=AuthorityLevel.DISTRICT, division="huyện", place=tag,
                                 province="Thử", short_name="UBND huyện",
                                 metric_targets={"incoming_processed_rate": {"*": target}})
        communes[tag] = Unit.objects.create(name=f"UBND xã {tag}", kind=UnitKind.COMMUNE, parent=root)
        for key, value in (("incoming_total", 100), ("incoming_replied", 95), ("incoming_closed", 0)):
            MetricValue.objects.create(batch=batch, unit=communes[tag], period=period, key=key, value=Decimal(value))
    weak = next(m for m in weakest_units(period, units=Unit.objects.all()) if m.key == "incoming_processed_rate")
    assert {w.unit.name: w.target for w in weak.units} == {"UBND xã A": Decimal(100), "UBND xã B": Decimal(90)}
    assert weak.below_target == 1  # 95 % misses A's 100 %, meets B's 90 %

    make_user("rev", Role.REVIEWER)
    client.login(username="rev", password="test-password")
    for tag, target in (("A", "100 %"), ("B", "90 %")):
        page = client.get(reverse("unit-detail", args=[communes[tag].pk])).content.decode()
        row = re.search(r'<tr data-metric="incoming_processed_rate">(.*?)</tr>', page, re.S).group(1)
        assert re.findall(r'<td class="num">([^<]*)</td>', row)[-1] == target
