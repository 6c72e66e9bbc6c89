"""The analysis pages, the remediation follow-up and the import history stay inside the user's
authority: with Vĩnh Linh and the invented province both loaded, the province's reviewer sees, ranks
and downloads none of Vĩnh Linh's data, a reviewer bound to Vĩnh Linh's root none of the province's,
and each page names its own authority ("Toàn tỉnh", "trên địa bàn tỉnh Quảng Trị")."""

import json
import re
from datetime import date
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from documents.importing.run import import_file
from documents.models import ImportBatch, MetricValue
from scoring import demo as scoring_demo
from scoring.choices import SetKind
from scoring.models import Assessment, Period, RemediationTask
from units import demo as units_demo
from units.choices import Role
from units.models import Authority, Unit

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))
PROVINCE_NAMES = {u["name"] for u in PROVINCE["units"]}
VINH_LINH_NAMES = {u["name"] for u in VINH_LINH["units"]}
SPREADSHEETS = Path(settings.BASE_DIR) / "fixtures" / "spreadsheets"
VINH_LINH_FILE = SPREADSHEETS / "2023-H1_phu-luc-1_van-ban-den.xlsx"


@pytest.fixture
def both(both_authorities):
    """Both demo authorities (tests/conftest.py) with their documents exports imported."""
    import_file(VINH_LINH_FILE, period=Period.objects.get(code="2023-H1"))
    manifest = json.loads(scoring_demo.PROVINCE_SPREADSHEETS.read_text(encoding="utf-8"))
    for name, entry in manifest.items():
        call_command("import_metrics", str(scoring_demo.PROVINCE_SPREADSHEETS.parent / name),
                     "--period", entry["period"], stdout=StringIO())


@pytest.fixture
def province(both, client):
    client.force_login(get_user_model().objects.get(username="reviewer_tinh"))
    return client


@pytest.fixture
def district(both, client, make_user):
    """A reviewer bound to Vĩnh Linh's root unit: Vĩnh Linh's tree only (units.access.authority_root)."""
    client.force_login(make_user("reviewer_huyen", Role.REVIEWER, vinh_linh_root()))
    return client


def vinh_linh_root() -> Unit:
    return Unit.objects.get(name=VINH_LINH["authority"]["name"])


def of_province():
    return Assessment.objects.filter(subject__name__in=PROVINCE_NAMES)


def of_vinh_linh():
    return Assessment.objects.filter(subject__name__in=VINH_LINH_NAMES)


def rank_rows(html: str, table: str) -> list[str]:
    body = re.search(rf'<table class="grid {table}">(.*?)</table>', html, re.S).group(1)
    return re.findall(r'<td class="rank">[^<]*</td><td>([^<]+)</td>', body)


# --- analysis pages -------------------------------------------------------------------------------

@pytest.mark.parametrize("who, mine, theirs", [("province", of_province, of_vinh_linh),
                                               ("district", of_vinh_linh, of_province)])
def test_the_analysis_list_holds_only_the_users_authoritys_assessments(who, mine, theirs, request):
    client = request.getfixturevalue(who)
    html = client.get(reverse("analysis")).content.decode()
    shown = {int(pk) for pk in re.findall(r'data-assessment="(\d+)"', html)}
    assert mine().exists() and theirs().exists()
    assert shown == set(mine().values_list("pk", flat=True))


@pytest.mark.parametrize("who, theirs", [("province", of_vinh_linh), ("district", of_province)])
def test_another_authoritys_assessment_answers_404_on_every_analysis_page(who, theirs, request):
    client = request.getfixturevalue(who)
    other = theirs().first()
    assert client.get(reverse("assessment", args=[other.pk])).status_code == 404  # as the assessment page
    assert client.get(reverse("analysis-points", args=[other.pk])).status_code == 404
    assert client.get(reverse("analysis-simulate", args=[other.pk])).status_code == 404
    assert client.post(reverse("analysis-recompute", args=[other.pk])).status_code == 404


def test_the_provinces_reviewer_still_opens_its_own_analysis_pages(province):
    own = of_province().first()
    assert province.get(reverse("analysis-points", args=[own.pk])).status_code == 200
    assert province.get(reverse("analysis-simulate", args=[own.pk])).status_code == 200


def test_the_province_ranks_its_own_units_only_in_its_own_word(province):
    own = of_province().filter(criteria_set__kind=SetKind.CCHC).select_related("criteria_set", "period").first()
    html = province.get(reverse("analysis-ranks"), {"period": own.period.code, "key": "incoming_processed_rate",
                                                    "set": own.criteria_set.code}).content.decode()
    by_metric, by_index = rank_rows(html, "ranks-metric"), rank_rows(html, "ranks-index")
    with_values = set(MetricValue.objects.filter(period=own.period, key="incoming_total")
                      .values_list("unit__name", flat=True))
    assert set(by_metric) == with_values & PROVINCE_NAMES and by_metric
    peers = of_province().filter(criteria_set=own.criteria_set, period=own.period)
    assert set(by_index) == set(peers.values_list("subject__name", flat=True))
    assert f"Toàn {PROVINCE['authority']['division']}" in html
    assert "Toàn huyện" not in html


def test_vinh_linhs_bound_reviewer_ranks_none_of_the_provinces_units(district):
    html = district.get(reverse("analysis-ranks"), {"period": "2025", "key": "incoming_processed_rate",
                                                    "set": "CCHC-XA-MH"}).content.decode()
    assert rank_rows(html, "ranks-metric") == [] and rank_rows(html, "ranks-index") == []
    own = district.get(reverse("analysis-ranks"), {"period": "2023-H1", "key": "incoming_processed_rate"})
    names = rank_rows(own.content.decode(), "ranks-metric")
    assert names and set(names) <= VINH_LINH_NAMES
    assert f"Toàn {VINH_LINH['authority']['division']}" in own.content.decode()


def test_a_reviewer_who_sees_every_tree_ranks_one_authority_at_a_time(both, client, reviewer_everywhere):
    client.force_login(reviewer_everywhere)
    query = {"period": "2025", "key": "incoming_processed_rate"}
    first = rank_rows(client.get(reverse("analysis-ranks"), query).content.decode(), "ranks-metric")
    assert first == []  # Vĩnh Linh's tree by default: it has no 2025 figures
    chosen = Authority.objects.get(unit__name=PROVINCE["authority"]["name"])
    html = client.get(reverse("analysis-ranks"), query | {"authority": chosen.pk}).content.decode()
    assert rank_rows(html, "ranks-metric") and set(rank_rows(html, "ranks-metric")) <= PROVINCE_NAMES
    assert "Toàn tỉnh" in html


# --- remediation follow-up ------------------------------------------------------------------------

@pytest.fixture
def tasks(both):
    """One task for a unit of each tree, past its deadline."""
    made = {}
    for key, names in (("province", PROVINCE_NAMES), ("district", VINH_LINH_NAMES)):
        unit = Unit.objects.filter(name__in=names, parent__isnull=False).order_by("sort_order").first()
        made[key] = RemediationTask.objects.create(responsible_unit=unit, action=f"Khắc phục ở {unit.name}",
                                                   deadline=date(2024, 11, 30))
    return made


@pytest.mark.parametrize("who, other", [("province", "district"), ("district", "province")])
def test_the_follow_up_lists_prints_and_downloads_only_the_users_authoritys_tasks(who, other, tasks, request):
    client = request.getfixturevalue(who)
    mine, theirs = tasks[who], tasks[other]
    page = client.get(reverse("reports:tracking")).content.decode()
    report = client.get(reverse("reports:tracking-report")).content.decode()
    book = load_workbook(BytesIO(client.get(reverse("reports:tracking-xlsx")).content))
    listed = {row[0] for row in book["Nhiệm vụ"].iter_rows(min_row=2, values_only=True)}
    assert f'data-task="{mine.pk}"' in page and f'data-task="{theirs.pk}"' not in page
    assert mine.action in report and theirs.action not in report
    assert listed == {mine.responsible_unit.name}


@pytest.mark.parametrize("who, data", [("province", PROVINCE), ("district", VINH_LINH)])
def test_the_follow_up_names_the_users_authority(who, data, tasks, request):
    client = request.getfixturevalue(who)
    authority = data["authority"]
    page = client.get(reverse("reports:tracking")).content.decode()
    report = client.get(reverse("reports:tracking-report")).content.decode()
    book = load_workbook(BytesIO(client.get(reverse("reports:tracking-xlsx")).content))
    where = f"trên địa bàn {authority['division']} {authority['place']}"
    assert where in page and where in report
    assert authority["agency_lines"][1] in report
    assert authority["name"] in book.properties.title


def test_tasks_are_not_made_from_another_authoritys_htnv_assessment(province):
    other = of_vinh_linh().filter(criteria_set__kind=SetKind.HTNV).first()
    assert other is not None
    assert province.post(reverse("reports:tasks-from-assessment", args=[other.pk])).status_code == 404
    assert not RemediationTask.objects.filter(assessment=other).exists()


# --- import batches and metric values -------------------------------------------------------------

def batches_of(names) -> set[int]:
    return set(ImportBatch.objects.filter(values__unit__name__in=names).values_list("pk", flat=True))


@pytest.mark.parametrize("who, mine, theirs", [("province", PROVINCE_NAMES, VINH_LINH_NAMES),
                                               ("district", VINH_LINH_NAMES, PROVINCE_NAMES)])
def test_the_import_history_holds_only_the_batches_of_the_users_units(who, mine, theirs, request):
    client = request.getfixturevalue(who)
    assert batches_of(mine) and batches_of(theirs)
    page = client.get(reverse("documents:batches")).content.decode()
    assert {int(pk) for pk in re.findall(r'data-batch="(\d+)"', page)} == batches_of(mine)
    other = min(batches_of(theirs))
    assert client.get(reverse("documents:batch", args=[other])).status_code == 404
    assert client.post(reverse("documents:reimport", args=[other])).status_code == 404
    ids, url = set(), "/api/v1/import-batches/"
    while url:
        body = client.get(url).json()
        ids |= {row["id"] for row in body["results"]}
        url = body.get("next")
    assert ids == batches_of(mine)
    assert client.get(f"/api/v1/import-batches/{other}/").status_code == 404


@pytest.mark.parametrize("who, mine, period", [("province", PROVINCE_NAMES, "2025"),
                                               ("district", VINH_LINH_NAMES, "2023-H1")])
def test_the_metrics_api_by_period_lists_only_the_users_units(who, mine, period, request):
    client = request.getfixturevalue(who)
    for code in ("2023-H1", "2025"):
        names, url = set(), f"/api/v1/metrics/?period={code}"
        while url:
            body = client.get(url).json()
            names |= {row["unit_name"] for row in body["results"]}
            url = body.get("next")
        stored = set(MetricValue.objects.filter(period__code=code).values_list("unit__name", flat=True))
        assert names == stored & mine
        assert bool(names) == (code == period)


def test_a_batch_shows_only_the_users_units_when_it_holds_both_trees(both, province, make_user):
    """A provincial export may list the units of both trees: each authority sees its own rows."""
    batch = ImportBatch.objects.filter(values__unit__name__in=PROVINCE_NAMES).distinct().first()
    stranger = Unit.objects.filter(name__in=VINH_LINH_NAMES, metric_values__isnull=True).first()
    MetricValue.objects.create(batch=batch, unit=stranger, period=batch.period, key="incoming_total", value=7)
    page = province.get(reverse("documents:batch", args=[batch.pk])).content.decode()
    assert stranger.name not in page
    assert batch.values.filter(unit__name__in=PROVINCE_NAMES).first().unit.name in page
    province.force_login(make_user("reviewer_huyen", Role.REVIEWER, vinh_linh_root()))
    page = province.get(reverse("documents:batch", args=[batch.pk])).content.decode()
    assert stranger.name in page
    # The page names the batch's authority (the province, whose file it is); no row is the province's.
    assert PROVINCE["authority"]["name"] in page
    assert not any(name in page for name in PROVINCE_NAMES - {PROVINCE["authority"]["name"]})


def test_a_refused_upload_stays_in_its_authoritys_history(province, make_user):
    tinh = get_user_model().objects.get(username="reviewer_tinh")
    refused = ImportBatch.objects.create(file_name="sai-mau.xlsx", sha256="0" * 64, source="incoming",
                                         period=Period.objects.get(code="2025"), status="failed", created_by=tinh)
    assert f'data-batch="{refused.pk}"' in province.get(reverse("documents:batches")).content.decode()
    province.force_login(make_user("reviewer_huyen", Role.REVIEWER, vinh_linh_root()))
    assert f'data-batch="{refused.pk}"' not in province.get(reverse("documents:batches")).content.decode()
