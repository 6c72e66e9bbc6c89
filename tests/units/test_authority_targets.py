"""The targets an authority sets its units are its data: Vĩnh Linh's are those its letters state
(seeds 002 and 003), the province's its own, and a wrong entry in the admin is refused in words."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from units import demo as units_demo
from units.choices import UnitKind
from units.models import Authority

SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"

pytestmark = pytest.mark.django_db


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


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
