"""The API's test world: the demo registry, criteria sets, periods and Vĩnh Linh assessments as
load_demo loads them, the 2023-H1 incoming-documents export imported through the real pipeline,
and one user per role with a token.

"Own unit" is UBND xã Vĩnh Khê (its head may read its objects), "other unit" is Phòng Nội vụ
(whose head may not).

The world is built once per test module inside a transaction that is rolled back at the end of the
module; each test runs in a savepoint of it (the ``db`` fixture), so what a test writes is undone
before the next, and the world's objects are re-read from the database before every test."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from documents.importing.run import import_file
from documents.models import ImportBatch, MetricValue
from reports.choices import LetterKind
from reports.models import Letter
from scoring import demo as scoring_demo
from scoring.models import Assessment, CriteriaSet, Criterion, Period, RemediationTask, Score
from units import demo as units_demo
from units.choices import Role
from units.models import Membership, Unit

ROOT = Path(__file__).resolve().parents[2]
SPREADSHEETS = ROOT / "fixtures" / "spreadsheets"
INCOMING_H1 = SPREADSHEETS / "2023-H1_phu-luc-1_van-ban-den.xlsx"
ROLES = ["anonymous", "reviewer", "viewer", "head_own", "head_other"]


@dataclass
class World:
    own: Unit
    other: Unit
    assessment: Assessment  # subject: own unit
    other_assessment: Assessment  # subject: other unit
    score: Score  # of own unit's assessment
    metric: MetricValue  # of own unit
    task: RemediationTask  # of own unit
    other_task: RemediationTask
    batch: ImportBatch
    letter: Letter
    users: dict


def _assessment(criteria_set, period, subject, appraised: str) -> Assessment:
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=subject)
    leaves = Criterion.objects.filter(criteria_set=criteria_set, children__isnull=True).order_by("position")[:3]
    for criterion in leaves:
        Score.objects.create(assessment=assessment, criterion=criterion, self_score=criterion.max_score,
                             appraised_score=min(criterion.max_score, type(criterion.max_score)(appraised)),
                             comment="Chưa có tài liệu kiểm chứng đầy đủ")
    return assessment


def _user(username: str, role: str | None = None, unit: Unit | None = None):
    user = get_user_model().objects.create_user(username, password="test-password")
    if role:
        Membership.objects.create(user=user, role=role, unit=unit)
    return user


def build_world() -> World:
    units_demo.load_registry()
    scoring_demo.load_all()
    own = Unit.objects.get(name="UBND xã Vĩnh Khê")
    other = Unit.objects.get(name="Phòng Nội vụ")
    h1 = Period.objects.get(code="2023-H1")
    outcome = import_file(INCOMING_H1, period=h1)
    assert outcome.stored is not None, outcome.report.errors
    htnv = CriteriaSet.objects.get(code="HTNV-2023")
    year = Period.objects.get(code="2023")
    assessment = _assessment(htnv, year, own, "0.5")
    other_assessment = _assessment(htnv, year, other, "0.25")
    task = RemediationTask.objects.create(assessment=assessment, responsible_unit=own,
                                          action="Bổ sung tài liệu kiểm chứng về ký số")
    other_task = RemediationTask.objects.create(assessment=other_assessment, responsible_unit=other,
                                                action="Rà soát quy trình xử lý văn bản đến")
    letter = Letter.objects.create(kind=LetterKind.CCHC_REMEDIATION, period=h1, subject="Khắc phục tồn tại CCHC")
    letter.pdf.save("thu.pdf", ContentFile(b"%PDF-1.4\n% test\n"), save=False)
    letter.docx.save("thu.docx", ContentFile(b"PK\x03\x04 test"), save=False)
    letter.save()
    users = {
        "reviewer": _user("api_reviewer", Role.REVIEWER, other),
        "viewer": _user("api_viewer", Role.VIEWER),
        "head_own": _user("api_head_own", Role.UNIT_HEAD, own),
        "head_other": _user("api_head_other", Role.UNIT_HEAD, other),
        "no_role": _user("api_no_role"),
    }
    return World(
        own=own, other=other, assessment=assessment, other_assessment=other_assessment,
        score=assessment.scores.order_by("criterion__position").first(),
        metric=MetricValue.objects.filter(unit=own, period=h1).order_by("key").first(),
        task=task, other_task=other_task, batch=outcome.stored.batch, letter=letter, users=users,
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=folder / "media", VAR_DIR=folder / "var"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(module_world, db) -> World:
    """The module's world, its objects as the database holds them at the start of this test."""
    for obj in (module_world.score, module_world.task, module_world.other_task, module_world.letter,
                module_world.assessment, module_world.batch, module_world.metric):
        obj.refresh_from_db()
    return module_world


def client_for(world: World, role: str) -> APIClient:
    """An API client authenticated by the role's token (none for "anonymous")."""
    client = APIClient()
    if role != "anonymous":
        token, _ = Token.objects.get_or_create(user=world.users[role])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
