"""Two authorities in one registry (issue 8, hostile input): a reviewer and a leader (viewer) bound to
the second demo authority, the invented province (authority B), reach none of Vĩnh Linh's (authority
A) objects through any URL of the permission table (test_url_permissions.ACCESS): every URL that
names one of A's objects refuses them (403, or 404 as if absent), whatever the method; every list,
page or API, shows them B's objects and none of A's, even when the query string asks for A's.

The world is the permission table's (Vĩnh Linh, its objects belong to A) plus the province loaded as
`load_demo` loads it, its incoming-documents exports imported, a task and a letter of its own, and
the two users of B. Built once per module in a transaction rolled back at the end."""

import json
from dataclasses import dataclass
from io import BytesIO, StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from openpyxl import load_workbook

from documents.models import ImportBatch, MetricValue
from reports.choices import LetterKind
from reports.models import Letter
from scoring import demo as scoring_demo
from scoring.models import Assessment, RemediationTask, Score
from units import demo as units_demo
from units.access import subtree_ids
from units.choices import Role
from units.models import Authority, Unit

from ..api.conftest import _user
from .conftest import PDF_BYTES, Hostile, build_hostile, page_client
from .test_url_permissions import ACCESS, APP_PATTERNS, POST_DATA, POST_ONLY
from .urls_walk import fill

B_ROLES = ["reviewer_b", "viewer_b"]
REFUSED = {403, 404}

# URLs whose kwargs name something that is not one authority's: shared catalogues every role reads
# (the table gives them to every role), a stored upload named by its content's SHA-256 (whoever can
# name it holds the file; its preview matches rows against the reader's own units only), a period
# (the dashboard of a period is a list, checked with the lists below).
NOT_AN_AUTHORITYS_OBJECT = {
    "api:criteria-set-detail": "criteria sets are a catalogue every role reads",
    "api:criterion-detail": "criteria are a catalogue every role reads",
    "api:period-detail": "periods are a catalogue every role reads",
    "documents:preview": "a stored upload, named by the SHA-256 of its content",
    "dashboard": "names a period, not an object: a list, checked below",
}
OBJECT_URLS = sorted(name for name, (kwargs, *_rest) in ACCESS.items()
                     if kwargs and name not in NOT_AN_AUTHORITYS_OBJECT)

# Lists: pages that show many objects, and the API's lists, by what they list.
LIST_PAGES = ["home", "unit-list", "dashboard-latest", "dashboard", "analysis", "analysis-ranks",
              "documents:batches", "reports:list", "reports:tracking", "reports:tracking-report",
              "reports:tracking-xlsx", "notifications"]
API_LISTS = ["api:unit-list", "api:assessment-list", "api:score-list", "api:metric-list",
             "api:import-batch-list", "api:letter-list", "api:task-list"]
NOT_LISTS = {
    "login": "the sign-in form", "logout": "signs out", "documents:upload": "an upload form",
    "reports:create": "a drafting form", "api:import-batch-confirm": "POST only",
    "api:schema": "the API's description", "api:docs": "the API's description",
    "api:criteria-set-list": "a catalogue every role reads", "api:criterion-list": "a catalogue every role reads",
    "api:period-list": "a catalogue every role reads",
}


@dataclass
class TwoAuthorities:
    hostile: Hostile  # authority A: Vĩnh Linh, every object of the permission table
    a_units: set
    b_units: set
    a_markers: list  # text of A's that no page of B's users may show
    b_letter: Letter
    b_task: RemediationTask

    def __getattr__(self, name):
        return getattr(self.hostile, name)


def unit_ids_below(name: str) -> set:
    return subtree_ids(Unit.objects.get(name=name))


def build_two_authorities() -> TwoAuthorities:
    hostile = build_hostile()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    scoring_demo.load_province()
    manifest = json.loads(scoring_demo.PROVINCE_SPREADSHEETS.read_text(encoding="utf-8"))
    for name, entry in manifest.items():
        call_command("import_metrics", str(scoring_demo.PROVINCE_SPREADSHEETS.parent / name),
                     "--period", entry["period"], stdout=StringIO())
    a_root = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))["authority"]["name"]
    b_root = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))["authority"]["name"]
    a_units, b_units = unit_ids_below(a_root), unit_ids_below(b_root)
    assert hostile.own.pk in a_units and hostile.other.pk in a_units  # the table's objects are A's
    users = hostile.api.users
    users["reviewer_b"] = _user("b_reviewer", Role.REVIEWER, Unit.objects.get(name=b_root))
    users["viewer_b"] = _user("b_viewer", Role.VIEWER, Unit.objects.get(name=b_root))

    b_assessment = Assessment.objects.filter(subject_id__in=b_units).order_by("pk").first()
    b_task = RemediationTask.objects.create(assessment=b_assessment, responsible_unit=b_assessment.subject,
                                            action="Rà soát hồ sơ một cửa của tỉnh")
    b_letter = Letter.objects.create(kind=LetterKind.CCHC_REMEDIATION, period=b_assessment.period,
                                     assessment=b_assessment, authority=Unit.objects.get(name=b_root),
                                     subject="Khắc phục tồn tại CCHC của tỉnh")
    b_letter.pdf.save("thu-tinh.pdf", ContentFile(PDF_BYTES), save=False)
    b_letter.save()
    # A's letter gets words of its own, so that a page showing it can be caught
    hostile.letter.subject = "Khắc phục tồn tại CCHC huyện Vĩnh Linh (thư A)"
    hostile.letter.save(update_fields=["subject"])

    # A name that is part of B's own names, or of the words every page may use (a role's label, an
    # office: "Phòng Nội vụ" is both a unit of A's and a district's office), proves nothing when shown.
    wording = [*map(str, Role.labels), *Authority.objects.values_list("home_affairs_office", flat=True)]
    b_names = list(Unit.objects.filter(pk__in=b_units).values_list("name", flat=True))
    a_names = [name for name in Unit.objects.filter(pk__in=a_units).values_list("name", flat=True)
               if not any(name in other for other in b_names + wording)]
    a_markers = [*a_names, hostile.task.action, hostile.other_task.action, hostile.letter.subject,
                 f'data-letter="{hostile.letter.pk}"', hostile.batch.file_name]
    return TwoAuthorities(hostile=hostile, a_units=a_units, b_units=b_units, a_markers=a_markers,
                          b_letter=b_letter, b_task=b_task)


@pytest.fixture(scope="module")
def module_two(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cross-authority")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=folder / "media", VAR_DIR=folder / "var"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_two_authorities()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def two(module_two, db) -> TwoAuthorities:
    return module_two


def paths_of(name: str, world) -> list[str]:
    kwargs = ACCESS[name][0]
    return sorted({fill(name, pattern, kwargs(world) if kwargs else {}) for _, n, pattern in APP_PATTERNS if n == name})


def method_allowed(letters: str) -> bool:
    """Whether the table lets any signed-in role use the method at all (else it is 405 for all)."""
    return any(letter != "M" for letter in letters.split()[1:])


def test_every_url_of_the_table_is_classed_here():
    named = {name for name, (kwargs, *_rest) in ACCESS.items() if kwargs}
    unnamed = set(ACCESS) - named
    assert named == set(OBJECT_URLS) | set(NOT_AN_AUTHORITYS_OBJECT)
    assert unnamed | {"dashboard"} == set(LIST_PAGES) | set(API_LISTS) | set(NOT_LISTS)


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_a_url_naming_an_object_of_another_authority_refuses_its_reviewer_and_viewer(two, name):
    _kwargs, query, on_get, on_post = ACCESS[name]
    for role in B_ROLES:
        client = page_client(two, role)
        for path in paths_of(name, two):
            answers = {"GET": client.get(path + query).status_code,
                       "POST": client.post(path, POST_DATA.get(name, {})).status_code}
            for method, letters in (("GET", on_get), ("POST", on_post)):
                expected = REFUSED if method_allowed(letters) else {405}
                assert answers[method] in expected, (role, method, path, answers[method])


def test_a_reviewer_of_another_authority_cannot_change_a_task(two):
    """The table's write URLs answer 403/404 above; this one, with a valid form, also changes nothing."""
    client = page_client(two, "reviewer_b")
    for path in paths_of("reports:task", two):
        client.post(path, {"status": "done", "progress": "Đã xong (giả mạo)", "evidence": "x"})
    two.task.refresh_from_db()
    assert two.task.progress != "Đã xong (giả mạo)"


def hostile_query(world) -> str:
    """A query string asking for A's things, as a curious user would type it."""
    asks = {"authority": world.own.parent_id or world.own.pk, "unit": world.own.pk, "subject": world.own.pk,
            "period": "2023-H1", "assessment": world.assessment.pk}
    return "?" + "&".join(f"{key}={value}" for key, value in asks.items())


def page_text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(BytesIO(response.content), read_only=True)
        return "\n".join(str(value) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
    return response.content.decode()


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_list_page_shows_another_authoritys_users_none_of_its_objects(two, name):
    for role in B_ROLES:
        client = page_client(two, role)
        for path in paths_of(name, two):
            for query in ("", hostile_query(two)):
                response = client.get(path + query, follow=True)
                assert response.status_code == 200, (role, path + query, response.status_code)
                text = page_text(response)
                shown = [marker for marker in two.a_markers if marker in text]
                assert shown == [], (role, path + query, shown)


def test_the_list_pages_do_show_the_users_own_authoritys_objects(two):
    """So that the test above is not passed by empty pages."""
    b_unit = Unit.objects.get(pk=two.b_task.responsible_unit_id)
    b_batch = ImportBatch.objects.filter(authority_id__in=two.b_units).order_by("pk").first()
    expected = {"unit-list": b_unit.name, "analysis": b_unit.name, "documents:batches": b_batch.file_name,
                "reports:list": f'data-letter="{two.b_letter.pk}"', "reports:tracking": b_unit.name}
    for role in B_ROLES:
        client = page_client(two, role)
        for name, text in expected.items():
            page = client.get(paths_of(name, two)[0]).content.decode()
            assert text in page, (role, name, text)


def listed_ids(client, path: str) -> list[int]:
    ids, url = [], path
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        data = response.json()
        ids += [row["id"] for row in data["results"]]
        url = data.get("next")
    return ids


def a_and_b_ids(two, name: str) -> tuple[set, set]:
    """(ids of A's objects, ids of B's objects) of what the API list ``name`` lists."""
    a, b = two.a_units, two.b_units
    by_unit = {
        "api:unit-list": (Unit.objects.all(), "pk"),
        "api:assessment-list": (Assessment.objects.all(), "subject_id"),
        "api:score-list": (Score.objects.all(), "assessment__subject_id"),
        "api:metric-list": (MetricValue.objects.all(), "unit_id"),
        "api:task-list": (RemediationTask.objects.all(), "responsible_unit_id"),
        "api:import-batch-list": (ImportBatch.objects.all(), "authority_id"),
    }
    if name == "api:letter-list":
        return {two.letter.pk}, {two.b_letter.pk}
    rows, field = by_unit[name]
    return (set(rows.filter(**{f"{field}__in": a}).values_list("pk", flat=True)),
            set(rows.filter(**{f"{field}__in": b}).values_list("pk", flat=True)))


@pytest.mark.parametrize("name", API_LISTS)
def test_an_api_list_gives_another_authoritys_users_its_own_objects_only(two, name):
    a_ids, b_ids = a_and_b_ids(two, name)
    assert a_ids and b_ids, name  # both authorities hold some, or the test proves nothing
    for role in B_ROLES:
        client = page_client(two, role)
        for path in paths_of(name, two):
            for query in ("", hostile_query(two).replace("period=2023-H1", f"period={two.assessment.period_id}")):
                ids = listed_ids(client, path + query)
                assert not set(ids) & a_ids, (role, path + query, sorted(set(ids) & a_ids)[:5])
                if not query:
                    assert b_ids <= set(ids), (role, path, sorted(b_ids - set(ids))[:5])


def test_another_authoritys_object_answers_as_if_it_did_not_exist(two):
    """404 for A's assessment is the same answer as for one that does not exist: nothing to probe."""
    client = page_client(two, "reviewer_b")
    missing = Assessment.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    hidden = client.get(f"/api/v1/assessments/{two.assessment.pk}/")
    absent = client.get(f"/api/v1/assessments/{missing}/")
    assert (hidden.status_code, hidden.json()) == (absent.status_code, absent.json())

