"""A reviewer bound to an authority's root unit sees that authority's tree only: the province's
reviewer sees the province's communes and none of Vĩnh Linh's units or assessments, on the pages and
in the API. A reviewer with no such binding (Vĩnh Linh's, at Phòng Nội vụ) still sees every unit."""

import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from scoring import demo as scoring_demo
from scoring.models import Assessment
from units import demo as units_demo
from units.accounts import DEMO_PASSWORD
from units.models import Unit

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))
PROVINCE_NAMES = {u["name"] for u in PROVINCE["units"]}
VINH_LINH_NAMES = {u["name"] for u in VINH_LINH["units"]}



def api_names(client, url):
    names, page = [], client.get(url).json()
    while True:
        names += [row["name"] for row in page["results"]]
        if not page.get("next"):
            return names
        page = client.get(page["next"]).json()


def test_it_binds_the_provinces_reviewer_to_the_province_root(both_authorities):
    reviewer = next(u for u in PROVINCE["demo_users"] if u["username"] == "reviewer_tinh")
    assert Unit.objects.get(name=reviewer["unit"]).parent is None


def test_it_shows_the_provinces_reviewer_only_the_provinces_units_in_the_api(both_authorities, client):
    assert client.login(username="reviewer_tinh", password=DEMO_PASSWORD)
    names = set(api_names(client, "/api/v1/units/"))
    assert names == PROVINCE_NAMES
    assert not names & VINH_LINH_NAMES


def test_it_shows_the_provinces_reviewer_only_the_provinces_assessments(both_authorities, client):
    assert client.login(username="reviewer_tinh", password=DEMO_PASSWORD)
    page = client.get(reverse("home")).content.decode()
    province = Assessment.objects.filter(subject__name__in=PROVINCE_NAMES)
    vinh_linh = Assessment.objects.filter(subject__name__in=VINH_LINH_NAMES)
    assert province.exists() and vinh_linh.exists()
    for assessment in province:
        assert f'data-assessment="{assessment.pk}"' in page
    for assessment in vinh_linh:
        assert f'data-assessment="{assessment.pk}"' not in page
    ids, url = set(), "/api/v1/assessments/"
    while url:
        body = client.get(url).json()
        ids |= {row["id"] for row in body["results"]}
        url = body.get("next")
    assert ids == set(province.values_list("pk", flat=True))


def test_it_answers_404_on_a_vinh_linh_assessment_to_the_provinces_reviewer(both_authorities, client):
    assert client.login(username="reviewer_tinh", password=DEMO_PASSWORD)
    other = Assessment.objects.filter(subject__name__in=VINH_LINH_NAMES).first()
    assert client.get(reverse("assessment", args=[other.pk])).status_code == 404
    assert client.get(f"/api/v1/assessments/{other.pk}/").status_code == 404


def test_vinh_linhs_reviewer_at_phong_noi_vu_sees_vinh_linh_only(both_authorities, client):
    assert client.login(username="reviewer", password=DEMO_PASSWORD)
    assert set(api_names(client, "/api/v1/units/")) == VINH_LINH_NAMES


def test_a_reviewer_of_no_unit_sees_every_tree(both_authorities, client, reviewer_everywhere):
    client.force_login(reviewer_everywhere)
    assert set(api_names(client, "/api/v1/units/")) == PROVINCE_NAMES | VINH_LINH_NAMES


def test_it_labels_the_provinces_whole_as_the_province(both_authorities, client):
    division = PROVINCE["authority"]["division"]
    # The province's demo spreadsheets imported, so that pages show its figures beside the whole.
    manifest = json.loads(scoring_demo.PROVINCE_SPREADSHEETS.read_text(encoding="utf-8"))
    for name, entry in manifest.items():
        call_command("import_metrics", str(scoring_demo.PROVINCE_SPREADSHEETS.parent / name),
                     "--period", entry["period"], stdout=StringIO())
    commune = Unit.objects.filter(name__in=PROVINCE_NAMES, metric_values__isnull=False).distinct().first()
    assert client.login(username="reviewer_tinh", password=DEMO_PASSWORD)
    unit_page = client.get(reverse("unit-detail", args=[commune.pk])).content.decode()
    dashboard = client.get(reverse("dashboard", args=["2025"])).content.decode()
    assert f"Toàn {division}" in unit_page
    assert f"Toàn {division}" in dashboard
    assert "Toàn huyện" not in unit_page + dashboard
