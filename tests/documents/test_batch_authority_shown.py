"""The import history says whose file each batch is: with Vĩnh Linh's and the province's files of the
same source and period imported, the history page, a batch's page and the API name each batch's
authority."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from documents.importing.run import import_file
from scoring.demo import PROVINCE_PERIODS_FILE, load_periods
from scoring.models import Period
from units import demo as units_demo
from units.accounts import create_demo_users

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))["authority"]["name"]
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))["authority"]["name"]
FILES = {
    VINH_LINH: Path(settings.BASE_DIR) / "fixtures" / "spreadsheets" / "2023-H1_phu-luc-1_van-ban-den.xlsx",
    PROVINCE: Path(settings.BASE_DIR) / "fixtures" / "demo" / "quang_tri_minh_hoa_2024_van-ban-den.xlsx",
}


@pytest.fixture
def batches(db, client, reviewer_everywhere) -> dict[str, int]:
    """Each authority's file of incoming documents for 2024, seen by a reviewer of every tree."""
    units_demo.load_registry()
    create_demo_users()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    load_periods(PROVINCE_PERIODS_FILE)
    period = Period.objects.get(code="2024")
    client.force_login(reviewer_everywhere)
    return {name: import_file(path, period=period).stored.batch.pk for name, path in FILES.items()}


def test_the_history_page_names_each_batchs_authority(batches, client):
    page = client.get(reverse("documents:batches")).content.decode()

    shown = {int(pk): unescape(name).strip()
             for pk, name in re.findall(r'<tr data-batch="(\d+)">.*?<td data-authority>(.*?)</td>', page, re.S)}
    assert shown == {pk: name for name, pk in batches.items()}


def test_a_batchs_page_names_its_authority(batches, client):
    for name, pk in batches.items():
        page = client.get(reverse("documents:batch", args=[pk])).content.decode()
        assert unescape(re.search(r'<dd id="authority">(.*?)</dd>', page).group(1)) == name


def test_the_api_names_each_batchs_authority(batches, client):
    rows = client.get("/api/v1/import-batches/").json()["results"]

    assert {row["id"]: row["authority_name"] for row in rows} == {pk: name for name, pk in batches.items()}
    detail = client.get(f"/api/v1/import-batches/{batches[PROVINCE]}/").json()
    assert detail["authority_name"] == PROVINCE and detail["authority"] is not None
