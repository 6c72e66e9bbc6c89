"""A letter's edit form speaks for the letter's own authority: a province's draft offers the
province's recipients, signer and labels ("Số liệu của tỉnh"), a Vĩnh Linh draft Vĩnh Linh's; an
unchanged form stores no override. The CCHC letter's opening sentence names, beside the province's
departments, the tier the letter's authority sits in: a province's communes, Vĩnh Linh's peer
districts as seed 001 writes them."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from reports.choices import LetterKind
from reports.facts import build_letter
from reports.models import Letter
from reports.services import draft_for
from scoring import demo as scoring_demo
from scoring.models import Assessment, CriteriaSet, Period
from units import demo as units_demo

from .conftest import seed_text

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))
COMMUNE = next(s for s in PROVINCE["successions"] if s["kind"] == "merge")["successors"][0]



@pytest.fixture
def reviewer_tinh(both_authorities, client):
    client.force_login(get_user_model().objects.get(username="reviewer_tinh"))
    return client


def province_letter() -> Letter:
    """The province's CCHC letter to one of its communes, for that commune's assessment."""
    assessment = Assessment.objects.get(subject__name=COMMUNE, period__code="2025", criteria_set__kind="cchc")
    return Letter.objects.create(kind=LetterKind.CCHC_REMEDIATION, period=assessment.period, assessment=assessment)


def vinh_linh_letter() -> Letter:
    user = get_user_model().objects.get(username="reviewer")
    return draft_for(LetterKind.CCHC_REMEDIATION, Period.objects.get(code="2023-H1"),
                     CriteriaSet.objects.get(code="CCHC-2023"), acting_user=user)


def unchanged(form) -> dict:
    """What a browser posts when the reviewer saves the form as shown."""
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        data[name] = "" if value is None else str(value)
    return data


def test_a_provinces_draft_offers_the_provinces_recipients_and_signer(reviewer_tinh):
    letter = province_letter()
    response = reviewer_tinh.get(reverse("reports:detail", args=[letter.pk]))
    form = response.context["form"]
    authority, district = PROVINCE["authority"], VINH_LINH["authority"]
    assert form.initial["signer"] == authority["chairman"]
    assert authority["subordinates_phrase"] in form.initial["recipients"]
    assert district["subordinates_phrase"] not in form.initial["recipients"]
    assert f"thuộc {authority['division']}" in form.initial["recipients"]
    assert f"UBND {district['division']}" not in form.initial["distribution"]
    page = response.content.decode()
    assert district["chairman"] not in page
    assert f"Xếp hạng trong số các {authority['rank_scope']}" in page


def test_saving_a_provinces_draft_unchanged_stores_no_override(reviewer_tinh):
    letter = province_letter()
    form = reviewer_tinh.get(reverse("reports:detail", args=[letter.pk])).context["form"]
    response = reviewer_tinh.post(reverse("reports:detail", args=[letter.pk]), unchanged(form))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.signer, letter.recipients) == ("", [])
    assert "distribution" not in letter.body and "signature" not in letter.body


def test_a_vinh_linh_draft_keeps_vinh_linhs_recipients_and_signer(both_authorities, client):
    client.force_login(get_user_model().objects.get(username="reviewer"))
    letter = vinh_linh_letter()
    form = client.get(reverse("reports:detail", args=[letter.pk])).context["form"]
    authority = VINH_LINH["authority"]
    assert form.initial["signer"] == authority["chairman"]
    assert authority["subordinates_phrase"] in form.initial["recipients"]
    assert PROVINCE["authority"]["subordinates_phrase"] not in form.initial["recipients"]


def test_a_provinces_procedures_draft_labels_the_figures_as_the_provinces(reviewer_tinh):
    manifest = json.loads(scoring_demo.PROVINCE_SPREADSHEETS.read_text(encoding="utf-8"))
    name, entry = next((n, e) for n, e in manifest.items() if e["period"] == "2025")
    call_command("import_metrics", str(scoring_demo.PROVINCE_SPREADSHEETS.parent / name), "--period", "2025",
                 stdout=None)
    letter = Letter.objects.create(kind=LetterKind.PROCEDURES, period=Period.objects.get(code="2025"))
    response = reviewer_tinh.get(reverse("reports:detail", args=[letter.pk]))
    page = response.content.decode()
    assert f"Số liệu của {PROVINCE['authority']['division']}:" in page
    assert "Số liệu của huyện" not in page
    assert response.context["form"].initial["signer"] == PROVINCE["authority"]["chairman"]


def intro(document) -> str:
    return " ".join(run.text for block in document.blocks if block.key == "intro" for run in block.runs)


def test_a_provinces_cchc_letter_opens_with_the_provinces_own_communes(both_authorities):
    text = intro(build_letter(LetterKind.CCHC_REMEDIATION, "2025", unit_name=COMMUNE))
    authority = PROVINCE["authority"]
    assert f"{authority['short_name']}; {authority['subordinates_phrase']} tỉnh {authority['province']}." in text
    assert "huyện" not in text


def test_vinh_linhs_cchc_letter_opens_as_seed_001_does(both_authorities):
    text = intro(build_letter(LetterKind.CCHC_REMEDIATION, "2023-H1", "CCHC-2023"))
    seed = " ".join(seed_text("001").split())
    scored = re.search(r"của các cơ quan chuyên môn[^.]*\.", seed).group(0)
    assert text.endswith(scored)
