"""A period's metric letters are an authority's: with Vĩnh Linh and the invented province both holding
figures of the same period, each drafts its own document-processing letter (pages, API and the
Celery rendering), which prints its own heading, place and signer and its own units only, and each
reviewer sees only their own; an unbound reviewer chooses the authority; older letters get theirs
from the migration."""

import importlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from documents.importing.run import import_file
from reports.facts import build_for_letter
from reports.models import Letter
from scoring.demo import PROVINCE_PERIODS_FILE, load_periods
from scoring.models import Period
from units import demo as units_demo
from units.accounts import create_demo_users
from units.choices import Role
from units.models import Unit

from .conftest import pdf_text

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))["authority"]
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))["authority"]
VINH_LINH_INCOMING = Path(settings.BASE_DIR) / "fixtures" / "spreadsheets" / "2023-H1_phu-luc-1_van-ban-den.xlsx"
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"
KIND = "document-processing"


@pytest.fixture
def period(db, tmp_path, settings):
    """Both registries, and both authorities' incoming-documents files imported into 2024."""
    settings.MEDIA_ROOT = tmp_path / "media"
    units_demo.load_registry()
    create_demo_users()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    units_demo.create_fixture_users(units_demo.PROVINCE_FILE)
    load_periods(PROVINCE_PERIODS_FILE)
    shared = Period.objects.get(code="2024")
    for path in (VINH_LINH_INCOMING, DEMO / "quang_tri_minh_hoa_2024_van-ban-den.xlsx"):
        assert not import_file(path, period=shared).report.refused
    return shared


def root(authority: dict) -> Unit:
    return Unit.objects.get(name=authority["name"])


def units_with_figures(authority: dict) -> set[str]:
    return set(Unit.objects.filter(metric_values__batch__authority=root(authority)).values_list("name", flat=True))


@pytest.fixture
def province_client(period, client):
    client.force_login(get_user_model().objects.get(username="reviewer_tinh"))
    return client


@pytest.fixture
def district_client(period, make_user):
    """A reviewer bound to Vĩnh Linh's root unit (a client of its own, beside the province's)."""
    from django.test import Client

    other = Client()
    other.force_login(make_user("reviewer_huyen", Role.REVIEWER, root(VINH_LINH)))
    return other


def draft(client, **fields) -> Letter:
    response = client.post(reverse("reports:create"), {"kind": KIND, "period": "2024", **fields})
    assert response.status_code == 302, response.content.decode()
    return Letter.objects.get(pk=int(re.search(r"/van-ban/(\d+)/", response["Location"]).group(1)))


def rendered_text(client, letter: Letter) -> str:
    """Render through the page's button (the Celery task, eager in the tests) and read the PDF."""
    assert client.post(reverse("reports:render", args=[letter.pk])).status_code == 302
    letter.refresh_from_db()
    assert letter.render_state == "done", letter.render_error
    return pdf_text(Path(letter.pdf.path))


def listed(client) -> set[int]:
    page = client.get(reverse("reports:list")).content.decode()
    return {int(pk) for pk in re.findall(r'href="/van-ban/(\d+)/"', page)}


def test_each_authority_drafts_its_own_letter_for_the_same_period(province_client, district_client, poppler):
    provincial, district = draft(province_client), draft(district_client)

    assert provincial.pk != district.pk
    assert (provincial.authority, district.authority) == (root(PROVINCE), root(VINH_LINH))
    for client, letter, mine, theirs in ((province_client, provincial, PROVINCE, VINH_LINH),
                                         (district_client, district, VINH_LINH, PROVINCE)):
        text = rendered_text(client, letter)
        assert " ".join(mine["agency_lines"]) in text
        assert f"{mine['place']}, ngày" in text
        assert mine["chairman"] in text
        assert theirs["agency_lines"][1] not in text
        assert f"{theirs['place']}, ngày" not in text
        assert theirs["chairman"] not in text
        document = build_for_letter(letter)
        printed = {row.cells[1] for row in document.appendices[0].table.rows}
        assert units_with_figures(mine) <= printed
        assert not printed & units_with_figures(theirs)
        # Nor in the PDF, but where the body's wording names an office ("Giao Phòng Nội vụ theo dõi…").
        wording = " ".join(run.text for block in document.blocks for run in block.runs)
        assert not [name for name in units_with_figures(theirs) if name in text and name not in wording]


def test_drafting_again_opens_each_authoritys_own_draft(province_client, district_client):
    provincial, district = draft(province_client), draft(district_client)

    assert (draft(province_client), draft(district_client)) == (provincial, district)
    assert Letter.objects.filter(kind=KIND, period__code="2024").count() == 2


def test_each_reviewer_sees_only_their_own_letter(province_client, district_client):
    provincial, district = draft(province_client), draft(district_client)

    for client, mine, theirs in ((province_client, provincial, district), (district_client, district, provincial)):
        assert listed(client) == {mine.pk}
        assert {row["id"] for row in client.get("/api/v1/letters/").json()["results"]} == {mine.pk}
        assert client.get(reverse("reports:detail", args=[theirs.pk])).status_code == 404
        assert client.get(f"/api/v1/letters/{theirs.pk}/").status_code == 404
        assert client.get(reverse("reports:detail", args=[mine.pk])).status_code == 200


def test_an_unbound_reviewer_chooses_the_authority_defaulting_to_the_registrys_first(period, client,
                                                                                    reviewer_everywhere):
    client.force_login(reviewer_everywhere)
    form = client.get(reverse("reports:create")).context["form"]
    assert {unit.name for unit in form.fields["authority"].queryset} == {PROVINCE["name"], VINH_LINH["name"]}
    assert form.fields["authority"].initial == root(VINH_LINH)

    chosen = draft(client, authority=root(PROVINCE).pk)
    default = draft(client)

    assert (chosen.authority, default.authority) == (root(PROVINCE), root(VINH_LINH))
    assert build_for_letter(chosen).agency_lines == PROVINCE["agency_lines"]
    assert listed(client) == {chosen.pk, default.pk}


def test_the_api_drafts_the_named_authoritys_letter_and_refuses_another_authoritys_for_a_bound_user(
        period, client, district_client, reviewer_everywhere):
    client.force_login(reviewer_everywhere)
    response = client.post("/api/v1/letters/", {"kind": KIND, "period": "2024", "authority": root(PROVINCE).pk},
                           content_type="application/json")
    assert response.status_code == 202
    body = response.json()["letter"]
    assert (body["authority"], body["authority_name"]) == (root(PROVINCE).pk, PROVINCE["name"])
    assert Letter.objects.get(pk=body["id"]).render_state == "done"  # the task ran (eagerly) on its letter

    before = Letter.objects.count()
    refused = district_client.post("/api/v1/letters/", {"kind": KIND, "period": "2024", "authority": root(PROVINCE).pk},
                                   content_type="application/json")
    assert refused.status_code == 400 and "cơ quan của bạn" in refused.json()["detail"]
    assert Letter.objects.count() == before


def test_the_migration_gives_older_letters_the_authority_whose_heading_they_printed(period):
    assert not import_file(DEMO / "quang_tri_minh_hoa_2025_van-ban-den.xlsx", period=Period.objects.get(code="2025")
                           ).report.refused
    shared = Letter.objects.create(kind=KIND, period=period)
    provincial = Letter.objects.create(kind="procedures", period=Period.objects.get(code="2025"))
    migration = importlib.import_module("reports.migrations.0005_letter_authority")

    migration.fill_authority(apps, None)

    shared.refresh_from_db()
    provincial.refresh_from_db()
    # 2025's figures are the province's alone; 2024's are both, whose letter printed the registry's first.
    assert (provincial.authority, shared.authority) == (root(PROVINCE), root(VINH_LINH))
