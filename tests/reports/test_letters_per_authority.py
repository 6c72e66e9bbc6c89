"""Letters stay inside the user's authority, as the assessment pages do: with Vĩnh Linh and the
invented province both loaded, a reviewer bound to one authority lists, opens, renders and downloads
its letters only (another's answers 404, on the pages and in the API) and cannot draft one built from
the other's data; a reviewer who is not bound (Vĩnh Linh's, at Phòng Nội vụ) sees every letter."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from documents.importing.run import import_file
from reports.models import Letter
from scoring.models import Assessment, Period
from units import demo as units_demo
from units.choices import Role
from units.models import Unit

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))
PROVINCE_FILE_2024 = Path(settings.BASE_DIR) / "fixtures" / "demo" / "quang_tri_minh_hoa_2024_van-ban-den.xlsx"


@pytest.fixture
def letters(both_authorities, tmp_path, settings):
    """Two letters of each authority: an assessment's and a period's metrics' (each with a PDF)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    import_file(PROVINCE_FILE_2024, period=Period.objects.get(code="2024"))
    vinh_linh = Unit.objects.get(name=VINH_LINH["authority"]["name"])
    commune = Assessment.objects.filter(subject__name__in={u["name"] for u in PROVINCE["units"]},
                                        period__code="2025").first()
    made = {
        "district": [
            Letter.objects.create(kind="cchc-remediation", period=Period.objects.get(code="2023-H1"),
                                  assessment=Assessment.objects.get(subject=vinh_linh, period__code="2023-H1",
                                                                    criteria_set__kind="cchc")),
            Letter.objects.create(kind="document-processing", period=Period.objects.get(code="2023-H1")),
        ],
        "province": [
            Letter.objects.create(kind="cchc-remediation", period=commune.period, assessment=commune),
            Letter.objects.create(kind="document-processing", period=Period.objects.get(code="2024")),
        ],
    }
    for letter in made["district"] + made["province"]:
        letter.pdf.save(f"{letter.pk}.pdf", ContentFile(b"%PDF-1.4 thu"))
    return made


@pytest.fixture
def province_client(letters, client):
    client.force_login(get_user_model().objects.get(username="reviewer_tinh"))
    return client


@pytest.fixture
def district_client(letters, client, make_user):
    """A reviewer bound to Vĩnh Linh's root unit: Vĩnh Linh's tree only."""
    root = Unit.objects.get(name=VINH_LINH["authority"]["name"])
    client.force_login(make_user("reviewer_huyen", Role.REVIEWER, root))
    return client


def listed(client) -> set[int]:
    page = client.get(reverse("reports:list")).content.decode()
    return {int(pk) for pk in re.findall(r'href="/van-ban/(\d+)/"', page)}


def api_ids(client) -> set[int]:
    ids, url = set(), "/api/v1/letters/"
    while url:
        body = client.get(url).json()
        ids |= {row["id"] for row in body["results"]}
        url = body.get("next")
    return ids


@pytest.mark.parametrize("who, mine, theirs", [("province_client", "province", "district"),
                                               ("district_client", "district", "province")])
def test_a_bound_reviewer_lists_only_their_authoritys_letters(who, mine, theirs, letters, request):
    client = request.getfixturevalue(who)
    expected = {letter.pk for letter in letters[mine]}
    assert listed(client) == expected
    assert api_ids(client) == expected


@pytest.mark.parametrize("who, mine, theirs", [("province_client", "province", "district"),
                                               ("district_client", "district", "province")])
def test_another_authoritys_letter_answers_404_everywhere(who, mine, theirs, letters, request):
    client = request.getfixturevalue(who)
    for letter in letters[theirs]:
        assert client.get(reverse("reports:detail", args=[letter.pk])).status_code == 404
        assert client.get(reverse("reports:status", args=[letter.pk])).status_code == 404
        assert client.get(reverse("reports:download", args=[letter.pk, "pdf"])).status_code == 404
        assert client.post(reverse("reports:render", args=[letter.pk])).status_code == 404
        assert client.get(f"/api/v1/letters/{letter.pk}/").status_code == 404
        assert client.get(f"/api/v1/letters/{letter.pk}/pdf/").status_code == 404
        assert Letter.objects.get(pk=letter.pk).render_state == "idle"
    for letter in letters[mine]:
        assert client.get(reverse("reports:status", args=[letter.pk])).status_code == 200
        assert client.get(reverse("reports:download", args=[letter.pk, "pdf"])).status_code == 200
        assert client.get(f"/api/v1/letters/{letter.pk}/").status_code == 200


def test_the_provinces_reviewer_opens_its_own_letter(province_client, letters):
    commune_letter = letters["province"][0]
    page = province_client.get(reverse("reports:detail", args=[commune_letter.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"cải cách hành chính {PROVINCE['authority']['division']} {PROVINCE['authority']['place']}" in text
    assert commune_letter.assessment.subject.name in text


def test_a_reviewer_who_sees_every_tree_sees_every_letter(letters, client, reviewer_everywhere):
    client.force_login(reviewer_everywhere)
    every = {letter.pk for group in letters.values() for letter in group}
    assert listed(client) == every
    assert api_ids(client) == every
    for pk in every:
        assert client.get(reverse("reports:detail", args=[pk])).status_code == 200


def test_a_bound_reviewer_cannot_draft_a_letter_from_another_authoritys_data(province_client, letters):
    before = Letter.objects.count()
    page = province_client.post(reverse("reports:create"), {"kind": "document-processing", "period": "2023-H1"})
    assert "không thuộc cơ quan của bạn" in page.content.decode()
    response = province_client.post("/api/v1/letters/", {"kind": "document-processing", "period": "2023-H1"},
                                    content_type="application/json")
    assert response.status_code == 400 and "không thuộc cơ quan của bạn" in response.json()["detail"]
    assert Letter.objects.count() == before
