"""A second authority (an invented province scoring merged communes) beside Vĩnh Linh: its letters,
pages and imports work unchanged, with its own heading, place, symbol and signer from its data."""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from reports.facts import build_letter
from scoring import demo as scoring_demo
from scoring.models import Assessment, Period
from units import demo as units_demo
from units.accounts import DEMO_PASSWORD
from units.models import Authority, Unit, UnitSuccession

from .conftest import pdf_text

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))
AUTHORITY = PROVINCE["authority"]
ASSESSMENTS = json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo" / "quang_tri_minh_hoa_assessments.json")
                         .read_text(encoding="utf-8"))["assessments"]
MANIFEST = json.loads(scoring_demo.PROVINCE_SPREADSHEETS.read_text(encoding="utf-8"))
COMMUNE = next(s for s in PROVINCE["successions"] if s["kind"] == "merge")["successors"][0]



def number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_the_cchc_letter_for_a_commune_is_the_provinces(both_authorities, tmp_path, poppler):
    path = tmp_path / "commune.pdf"
    out = StringIO()

    call_command("render_letter", "cchc-remediation", "--period", "2025", "--unit", COMMUNE, "-o", str(path),
                 stdout=out)

    text = pdf_text(path)
    assert " ".join(AUTHORITY["agency_lines"]) in text
    assert f"/{AUTHORITY['symbols']['cchc-remediation']}" in text
    assert f"{AUTHORITY['place']}, ngày" in text
    assert AUTHORITY["chairman"] in text
    for vinh_linh_value in (VINH_LINH["authority"]["chairman"], VINH_LINH["authority"]["agency_lines"][1],
                            f"{VINH_LINH['authority']['place']}, ngày"):
        assert vinh_linh_value not in text
    # The index of the commune's own assessment, from the fixture's scores: Σ appraised / Σ max.
    scores = next(a for a in ASSESSMENTS if a["subject"] == COMMUNE and a["period"] == "2025")["scores"]
    index = sum(number(s["appraised"]) for s in scores) / sum(number(s["max_in_source"]) for s in scores) * 100
    assert f"index_percent={index.quantize(Decimal('0.01'))}".replace(".", ",") in out.getvalue()


def test_the_vinh_linh_letter_keeps_vinh_linh_when_a_province_is_loaded_too(both_authorities):
    document = build_letter("cchc-remediation", "2023-H1", "CCHC-2023")
    assert document.agency_lines == VINH_LINH["authority"]["agency_lines"]
    assert document.place_date.startswith(VINH_LINH["authority"]["place"])
    assert document.signer_name == VINH_LINH["authority"]["chairman"]
    assert document.number_line.endswith(VINH_LINH["authority"]["symbols"]["cchc-remediation"])


def test_the_provinces_reviewer_sees_its_pages(both_authorities, client):
    assert client.login(username="reviewer_tinh", password=DEMO_PASSWORD)
    home = client.get(reverse("home"))
    dashboard = client.get(reverse("dashboard", args=["2025"]))
    assert home.status_code == dashboard.status_code == 200
    assert COMMUNE in dashboard.content.decode()


def test_the_communes_head_sees_its_portal(both_authorities, client):
    head = next(u for u in PROVINCE["demo_users"] if u["role"] == "unit_head")
    assert client.login(username=head["username"], password=DEMO_PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    response = client.get(reverse("unit-detail", args=[Unit.objects.get(name=head["unit"]).pk]))
    page = response.content.decode()
    assert response.status_code == 200 and head["unit"] in page
    # The lineage of the merged commune is on its page, with its three predecessors and the date.
    for predecessor in next(s for s in PROVINCE["successions"] if s["successors"] == [head["unit"]])["predecessors"]:
        assert predecessor in page
    assert "01/07/2025" in page


def test_import_metrics_reads_the_provinces_spreadsheet(both_authorities):
    name, entry = next((n, e) for n, e in MANIFEST.items() if e["period"] == "2025")
    out = StringIO()
    path = scoring_demo.PROVINCE_SPREADSHEETS.parent / name

    call_command("import_metrics", str(path), "--period", entry["period"], "--format", "json", stdout=out)

    data = json.loads(out.getvalue().splitlines()[0])
    assert data["errors"] == [] and data["unmatched"] == []
    assert data["matched"] == {row["name"]: row["unit"] for row in entry["rows"]}
    for row in entry["rows"]:
        assert Decimal(str(data["units"][row["unit"]]["incoming_total"])) == row["incoming_total"]
    assert Period.objects.get(code="2025").metric_values.filter(key="incoming_total").count() == len(entry["rows"])


def test_load_demo_loads_the_province_once(db):
    call_command("load_demo", stdout=StringIO())
    second = StringIO()
    call_command("load_demo", stdout=second)
    assert Authority.objects.count() == 2
    assert UnitSuccession.objects.count() == len(PROVINCE["successions"])
    assert Assessment.objects.filter(criteria_set__code="CCHC-XA-MH").count() == len(ASSESSMENTS)
    assert all(f"{name}: đã nhập" in second.getvalue() for name in MANIFEST)
