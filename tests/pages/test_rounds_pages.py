"""The rounds on the pages: a reviewer starts, closes; an admin reopens; a unit head sends an explanation
on the portal only in the explanation stage and only for their criteria; task progress; notifications."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from scoring.actions import close_stage, create_remediation_task, start_rounds, write_score_in_stage
from scoring.models import AssessmentStage, AssessmentStageChange, Notification, RemediationTask, StageKind
from scoring.rounds import STAGE_ORDER
from units.choices import Role

from ..conftest import PASSWORD
from ..scoring.test_rounds import make_assessment, score
from .test_units_query_counts import build, count

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def assessment(noi_vu, vinh_khe):
    return make_assessment(noi_vu, vinh_khe)


def started(assessment, user, through=None):
    start_rounds(assessment, acting_user=user,
                 deadlines={k: datetime.now(TZ) + timedelta(days=7 * (i + 1)) for i, k in enumerate(STAGE_ORDER)})
    for kind in STAGE_ORDER:
        if kind == through:
            break
        close_stage(assessment, acting_user=user, expected_kind=kind)
    return assessment


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_a_reviewer_starts_the_rounds_with_four_dates(client, reviewer, assessment):
    login(client, "reviewer")
    page = client.get(reverse("assessment", args=[assessment.pk]))
    assert "Bắt đầu các vòng chấm" in page.content.decode()
    response = client.post(reverse("rounds-start", args=[assessment.pk]), {
        "self_assessment": "10/07/2023", "appraisal_1": "20/07/2023", "explanation": "31/07/2023", "appraisal_2": "10/08/2023",
    })
    assert response.status_code == 302
    stages = list(AssessmentStage.objects.filter(assessment=assessment).order_by("position"))
    assert [s.kind for s in stages] == STAGE_ORDER
    assert stages[2].deadline == datetime(2023, 7, 31, 23, 59, tzinfo=TZ)
    assert stages[0].opened_at is not None and stages[1].opened_at is None
    html = client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert "Đang mở" in html and "31/07/2023 23:59" in html


def test_dates_out_of_order_are_refused_with_a_message(client, reviewer, assessment):
    login(client, "reviewer")
    response = client.post(reverse("rounds-start", args=[assessment.pk]), {
        "self_assessment": "10/07/2023", "appraisal_1": "05/07/2023", "explanation": "31/07/2023", "appraisal_2": "10/08/2023",
    }, follow=True)
    assert "theo thứ tự" in response.content.decode()
    assert not AssessmentStage.objects.exists()


def test_in_the_explanation_stage_the_reviewers_row_has_no_score_inputs_and_a_save_is_refused(client, reviewer, assessment):
    started(assessment, reviewer, through=StageKind.EXPLANATION)
    login(client, "reviewer")
    row = score(assessment, "1.2")
    html = client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert f'id="s{row.pk}-appraised"' not in html
    response = client.post(reverse("score-save", args=[assessment.pk, row.pk]),
                           {"version": row.version, "appraised_score": "0,5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Giải trình" in response.content.decode()
    row.refresh_from_db()
    assert row.appraised_score is None


def test_a_reviewer_closes_the_open_stage_and_only_an_admin_reopens(client, reviewer, superuser, assessment):
    started(assessment, reviewer)
    login(client, "reviewer")
    client.post(reverse("stage-close", args=[assessment.pk]), {"stage": StageKind.SELF_ASSESSMENT})
    assert AssessmentStage.objects.get(assessment=assessment, kind=StageKind.SELF_ASSESSMENT).closed_by == reviewer
    response = client.post(reverse("stage-reopen", args=[assessment.pk]), {"stage": StageKind.SELF_ASSESSMENT, "reason": "x"})
    assert response.status_code == 403
    login(client, "admin")
    client.post(reverse("stage-reopen", args=[assessment.pk]), {"stage": StageKind.SELF_ASSESSMENT, "reason": "Quên TLKC"})
    audit = AssessmentStageChange.objects.get(action="reopen")
    assert (audit.changed_by, audit.reason) == (superuser, "Quên TLKC")
    assert AssessmentStage.objects.get(assessment=assessment, kind=StageKind.SELF_ASSESSMENT).closed_at is None


def test_a_unit_head_explains_on_the_portal_only_in_the_explanation_stage(client, reviewer, head_vinhkhe, vinh_khe, assessment):
    started(assessment, reviewer, through=StageKind.APPRAISAL_1)
    own = score(assessment, "1.1")
    write_score_in_stage(own, acting_user=reviewer, appraised_score="0,5", comment="Thiếu quyết định")
    login(client, "head_vinhkhe")
    portal = reverse("unit-detail", args=[vinh_khe.pk])
    assert f'id="explain-{own.pk}"' not in client.get(portal).content.decode()
    own.refresh_from_db()
    refused = client.post(reverse("portal-score", args=[own.pk]), {"version": own.version, "explanation": "Sớm"}, follow=True)
    assert "không được sửa giải trình" in refused.content.decode()

    close_stage(assessment, acting_user=reviewer, expected_kind=StageKind.APPRAISAL_1)
    html = client.get(portal).content.decode()
    assert f'id="explain-{own.pk}"' in html and "Thiếu quyết định" in html
    response = client.post(reverse("portal-score", args=[own.pk]),
                           {"version": own.version, "explanation": "Đã ban hành QĐ số 12"}, follow=True)
    assert "Đã gửi tiêu chí 1.1" in response.content.decode()
    own.refresh_from_db()
    assert own.explanation == "Đã ban hành QĐ số 12"
    other = score(assessment, "1.2")
    assert client.post(reverse("portal-score", args=[other.pk]), {"version": other.version, "explanation": "x"}).status_code == 404


def test_a_unit_head_reports_progress_on_their_own_tasks_only(client, reviewer, head_vinhkhe, vinh_khe, noi_vu):
    own = create_remediation_task(acting_user=reviewer, responsible_unit=vinh_khe, action="Bổ sung TLKC")
    other = create_remediation_task(acting_user=reviewer, responsible_unit=noi_vu, action="Khác")
    login(client, "head_vinhkhe")
    client.post(reverse("task-progress", args=[own.pk]), {"status": "in_progress", "progress": "Đã xong 2/3"})
    own.refresh_from_db()
    assert (own.status, own.progress) == ("in_progress", "Đã xong 2/3")
    assert client.post(reverse("task-progress", args=[other.pk]), {"status": "done"}).status_code == 404
    assert RemediationTask.objects.get(pk=other.pk).status == "open"


def test_the_bell_counts_unread_and_opening_a_notification_reads_it(client, reviewer, head_vinhkhe, vinh_khe):
    create_remediation_task(acting_user=reviewer, responsible_unit=vinh_khe, action="Bổ sung TLKC")
    login(client, "head_vinhkhe")
    portal = client.get(reverse("unit-detail", args=[vinh_khe.pk])).content.decode()
    assert 'aria-label="1 chưa đọc"' in portal
    note = Notification.objects.get(user=head_vinhkhe)
    assert "Bổ sung TLKC" in client.get(reverse("notifications")).content.decode()
    response = client.post(reverse("notification-open", args=[note.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("unit-detail", args=[vinh_khe.pk]))
    note.refresh_from_db()
    assert note.is_read
    login(client, "reviewer")
    assert client.post(reverse("notification-open", args=[note.pk])).status_code == 404


def test_the_rounds_pages_ask_the_same_number_of_queries_for_3_or_60_units(client, make_user):
    small, small_units = build(3, 2, 3, "S")
    large, large_units = build(60, 6, 20, "L")
    counts = {}
    for tag, (assessment, units) in {"S": (small, small_units), "L": (large, large_units)}.items():
        rev = make_user(f"rev{tag}", Role.REVIEWER, units[0])
        make_user(f"head{tag}", Role.UNIT_HEAD, units[1])
        started(assessment, rev, through=StageKind.EXPLANATION)
        for s in assessment.scores.all()[:40]:
            create_remediation_task(acting_user=rev, responsible_unit=units[1], action=f"Khắc phục {s.pk}")
        login(client, f"rev{tag}")
        urls = {"assessment in rounds": reverse("assessment", args=[assessment.pk]),
                "notifications": reverse("notifications")}
        for name, url in urls.items():
            client.get(url)
            counts.setdefault(name, []).append(count(client, url))
        login(client, f"head{tag}")
        for name, url in {"portal in rounds": reverse("unit-detail", args=[units[1].pk]),
                          "head notifications": reverse("notifications")}.items():
            client.get(url)
            counts.setdefault(name, []).append(count(client, url))
    print(counts)
    assert all(small == large <= 25 for small, large in counts.values()), counts
