"""Every URL pattern of the project (found by walking the resolver) × every role, with GET and POST:
the answer is what the table below says, never a 500. A new URL without a row in the table fails
the first test, so that nobody adds a page without saying who may use it.

Roles: anonymous, reviewer, viewer (leader), head_own (head of the unit the objects belong to),
head_other (head of another unit). Letters per role, in that order:
  L  sent to the login page (302)          A  allowed (2xx/3xx, or 400/409/415/422 for an empty form)
  R  refused (403, or 404 as if absent)    M  method not allowed (405)
  U  API: not authenticated (401)
The admin is for staff only; none of these roles is staff, so every admin URL sends them to the
admin's login page (tested apart, over all of its patterns)."""

import pytest
from django.urls import reverse

from .conftest import ROLES, page_client
from .urls_walk import admin_path, fill, walk

PAGE_READ = "L A A A A"
OWN_READ = "L A A A R"
DISTRICT_READ = "L A A R R"
REVIEWER_PAGE = "L A R R R"
POST_ONLY = "M M M M M"
API_READ_ALL, API_READ_OWN, API_DISTRICT = "U A A A A", "U A A A R", "U A A R R"
API_NO, API_REVIEWER = "U M M M M", "U A R R R"

# name: (kwargs from the world, query string, GET, POST)
ACCESS = {
    "home": (None, "", PAGE_READ, PAGE_READ),
    "assessment": (lambda w: {"pk": w.assessment.pk}, "", OWN_READ, OWN_READ),
    "score-save": (lambda w: {"pk": w.assessment.pk, "score_pk": w.score.pk}, "", POST_ONLY, REVIEWER_PAGE),
    "score-accept": (lambda w: {"pk": w.assessment.pk, "score_pk": w.score.pk}, "", POST_ONLY, REVIEWER_PAGE),
    "score-detail": (lambda w: {"pk": w.assessment.pk, "score_pk": w.score.pk}, "", OWN_READ, REVIEWER_PAGE),
    "score-source": (lambda w: {"pk": w.assessment.pk, "score_pk": w.score.pk}, "", OWN_READ, OWN_READ),
    "assessment-yoy": (lambda w: {"pk": w.assessment.pk}, "", OWN_READ, OWN_READ),
    "criterion-trend": (lambda w: {"pk": w.assessment.pk, "criterion_pk": w.score.criterion_id}, "", OWN_READ, OWN_READ),
    "evidence": (lambda w: {"pk": w.evidence.pk}, "", OWN_READ, OWN_READ),
    "rounds-start": (lambda w: {"pk": w.assessment.pk}, "", POST_ONLY, REVIEWER_PAGE),
    "stage-close": (lambda w: {"pk": w.assessment.pk}, "", POST_ONLY, REVIEWER_PAGE),
    "stage-reopen": (lambda w: {"pk": w.assessment.pk}, "", POST_ONLY, "L R R R R"),  # no stage closed yet
    "portal-score": (lambda w: {"score_pk": w.score.pk}, "", POST_ONLY, "L R R A R"),
    "task-progress": (lambda w: {"pk": w.task.pk}, "", POST_ONLY, "L A R A R"),
    "notifications": (None, "", PAGE_READ, PAGE_READ),  # POST: mark one's own as read
    "notification-open": (lambda w: {"pk": w.notifications["reviewer"].pk}, "", POST_ONLY, REVIEWER_PAGE),  # the reviewer's own
    "dashboard-latest": (None, "", PAGE_READ, PAGE_READ),
    "dashboard": (lambda w: {"period": "2023-H1"}, "", PAGE_READ, PAGE_READ),
    "analysis": (None, "", PAGE_READ, PAGE_READ),
    "analysis-ranks": (None, "", PAGE_READ, PAGE_READ),
    "analysis-points": (lambda w: {"pk": w.assessment.pk}, "", PAGE_READ, PAGE_READ),  # a head sees only its own lines
    "analysis-simulate": (lambda w: {"pk": w.assessment.pk}, "", DISTRICT_READ, DISTRICT_READ),  # saves nothing
    "analysis-recompute": (lambda w: {"pk": w.assessment.pk}, "", POST_ONLY, REVIEWER_PAGE),
    "unit-list": (None, "", PAGE_READ, PAGE_READ),
    "unit-detail": (lambda w: {"pk": w.own.pk}, "", OWN_READ, OWN_READ),
    "login": (None, "", "A A A A A", "A A A A A"),
    "logout": (None, "", POST_ONLY, "L L L L L"),
    "documents:batches": (None, "", DISTRICT_READ, DISTRICT_READ),
    "documents:upload": (None, "", REVIEWER_PAGE, REVIEWER_PAGE),
    "documents:preview": (lambda w: {"sha256": w.sha256}, "?period=2023-H1", REVIEWER_PAGE, REVIEWER_PAGE),
    "documents:batch": (lambda w: {"pk": w.batch.pk}, "", DISTRICT_READ, DISTRICT_READ),
    "documents:reimport": (lambda w: {"pk": w.batch.pk}, "", POST_ONLY, REVIEWER_PAGE),
    "documents:apology": (lambda w: {"pk": w.dossier.pk}, "", POST_ONLY, REVIEWER_PAGE),
    "reports:list": (None, "", DISTRICT_READ, DISTRICT_READ),
    "reports:create": (None, "", REVIEWER_PAGE, REVIEWER_PAGE),
    "reports:detail": (lambda w: {"pk": w.letter.pk}, "", DISTRICT_READ, REVIEWER_PAGE),
    "reports:render": (lambda w: {"pk": w.letter.pk}, "", POST_ONLY, REVIEWER_PAGE),
    "reports:status": (lambda w: {"pk": w.letter.pk}, "", DISTRICT_READ, POST_ONLY),
    "reports:download": (lambda w: {"pk": w.letter.pk, "fmt": "pdf"}, "", DISTRICT_READ, POST_ONLY),
    "reports:plan-tasks": (lambda w: {"pk": w.letter.pk}, "", POST_ONLY, REVIEWER_PAGE),
    "reports:tracking": (None, "", PAGE_READ, PAGE_READ),  # a head sees its own unit's tasks
    "reports:tracking-report": (None, "", PAGE_READ, PAGE_READ),
    "reports:tracking-xlsx": (None, "", PAGE_READ, PAGE_READ),
    "reports:task": (lambda w: {"pk": w.task.pk}, "", "L A R A R", "L A R A R"),
    "reports:tasks-from-assessment": (lambda w: {"pk": w.assessment.pk}, "", POST_ONLY, REVIEWER_PAGE),
    "reports:issue": (lambda w: {"pk": w.letter.pk}, "", POST_ONLY, REVIEWER_PAGE),  # empty form: 422
    "reports:correct": (lambda w: {"pk": w.issued.pk}, "", POST_ONLY, REVIEWER_PAGE),  # no reason: 422
    "reports:version": (lambda w: {"pk": w.issued.pk, "version": 1}, "", DISTRICT_READ, POST_ONLY),
    "reports:version-render": (lambda w: {"pk": w.issued.pk, "version": 1}, "", POST_ONLY, REVIEWER_PAGE),
    "reports:version-status": (lambda w: {"pk": w.issued.pk, "version": 1}, "", DISTRICT_READ, POST_ONLY),
    "reports:version-download": (lambda w: {"pk": w.issued.pk, "version": 1, "fmt": "pdf"}, "", DISTRICT_READ,
                                 POST_ONLY),
    "api:unit-list": (None, "", API_READ_ALL, API_NO),
    "api:unit-detail": (lambda w: {"pk": w.own.pk}, "", API_READ_OWN, API_NO),
    "api:criteria-set-list": (None, "", API_READ_ALL, API_NO),
    "api:criteria-set-detail": (lambda w: {"pk": w.assessment.criteria_set_id}, "", API_READ_ALL, API_NO),
    "api:criterion-list": (None, "", API_READ_ALL, API_NO),
    "api:criterion-detail": (lambda w: {"pk": w.score.criterion_id}, "", API_READ_ALL, API_NO),
    "api:period-list": (None, "", API_READ_ALL, API_NO),
    "api:period-detail": (lambda w: {"pk": w.assessment.period_id}, "", API_READ_ALL, API_NO),
    "api:assessment-list": (None, "", API_READ_ALL, API_NO),
    "api:assessment-detail": (lambda w: {"pk": w.assessment.pk}, "", API_READ_OWN, API_NO),
    "api:score-list": (None, "", API_READ_ALL, API_NO),
    "api:score-detail": (lambda w: {"pk": w.score.pk}, "", API_READ_OWN, API_NO),
    "api:score-accept-computed": (lambda w: {"pk": w.score.pk}, "", API_NO, "U 428 R R R"),  # no version: 428
    "api:metric-list": (None, "", API_READ_ALL, API_NO),
    "api:metric-detail": (lambda w: {"pk": w.metric.pk}, "", API_READ_OWN, API_NO),
    "api:import-batch-list": (None, "", API_DISTRICT, API_REVIEWER),
    "api:import-batch-confirm": (None, "", API_NO, API_REVIEWER),
    "api:import-batch-detail": (lambda w: {"pk": w.batch.pk}, "", API_DISTRICT, API_NO),
    "api:letter-list": (None, "", API_DISTRICT, API_REVIEWER),
    "api:letter-detail": (lambda w: {"pk": w.letter.pk}, "", API_DISTRICT, API_NO),
    "api:letter-docx": (lambda w: {"pk": w.letter.pk}, "", API_DISTRICT, API_NO),
    "api:letter-pdf": (lambda w: {"pk": w.letter.pk}, "", API_DISTRICT, API_NO),
    "api:letter-render": (lambda w: {"pk": w.letter.pk}, "", API_NO, API_REVIEWER),
    "api:letter-issue": (lambda w: {"pk": w.letter.pk}, "", API_NO, API_REVIEWER),  # empty body: 400
    "api:letter-reissue": (lambda w: {"pk": w.issued.pk}, "", API_NO, API_REVIEWER),  # no reason: 400
    "api:letter-versions": (lambda w: {"pk": w.issued.pk}, "", API_DISTRICT, API_NO),
    "api:task-list": (None, "", API_READ_ALL, API_NO),
    "api:task-detail": (lambda w: {"pk": w.task.pk}, "", API_READ_OWN, API_NO),
    "api:schema": (None, "", "A A A A A", POST_ONLY),  # the API's description is public, its data is not
    "api:docs": (None, "", "A A A A A", POST_ONLY),
}

# What an empty form lacks to reach the role check (the preview reads its period from the form).
POST_DATA = {"documents:preview": {"period": "2023-H1"}}

APP_PATTERNS = [(route, name, pattern) for route, name, pattern in walk() if not route.startswith("admin/")]
ADMIN_PATTERNS = [(route, name, pattern) for route, name, pattern in walk() if route.startswith("admin/")]
VALIDATION = {400, 409, 415, 422}


def category(response) -> str:
    status = response.status_code
    if status in (301, 302):
        return "L" if response["Location"].split("?")[0] == reverse("login") else "A"
    if status < 300 or status in VALIDATION:
        return "A"
    return {401: "U", 403: "R", 404: "R", 405: "M"}.get(status, str(status))


def test_every_url_has_a_row_in_the_table():
    names = {name for _, name, _ in APP_PATTERNS}
    assert None not in names, "every URL pattern outside the admin needs a name"
    assert sorted(names - set(ACCESS)) == [], "new URLs: say who may use them in ACCESS"
    assert sorted(set(ACCESS) - names) == [], "rows for URLs that no longer exist"


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_role_gets_what_the_table_says(hostile, name):
    kwargs, query, on_get, on_post = ACCESS[name]
    paths = sorted({fill(name, pattern, kwargs(hostile) if kwargs else {})
                    for _, n, pattern in APP_PATTERNS if n == name})
    clients = {role: page_client(hostile, role) for role in ROLES}
    for path in paths:  # the API's routes with and without a format suffix
        for method, expected in (("get", on_get), ("post", on_post)):
            answers = []
            for role in ROLES:
                if method == "get":
                    response = clients[role].get(path + query)
                else:
                    response = clients[role].post(path, POST_DATA.get(name, {}))
                assert response.status_code < 500, (method, path, role)
                answers.append(category(response))
            assert " ".join(answers) == expected, (method.upper(), path, dict(zip(ROLES, answers)))


def test_the_admin_sends_every_non_staff_role_to_its_login(hostile):
    login = reverse("admin:login")
    assert len(ADMIN_PATTERNS) > 100  # every model's pages, not a handful
    for role in ROLES:
        client = page_client(hostile, role)
        for route, name, pattern in ADMIN_PATTERNS:
            path = admin_path(route, name, pattern)
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                if name == "admin:login":
                    assert response.status_code == 200, (role, method, path)  # the form, again
                elif name == "admin:logout":
                    assert response.status_code == 302, (role, method, path)  # signed out, or nothing to do
                else:
                    assert response.status_code == 302 and response["Location"].startswith(login), \
                        (role, method, path, response.status_code)
