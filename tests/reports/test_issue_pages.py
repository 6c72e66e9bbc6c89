"""Issuing a letter from its page: «Ban hành» freezes it as version 1 (with its hash), a corrected
score never changes what the issued page or its PDF says, «Ban hành lại / đính chính» makes a new
version whose page shows the changed figures old → new, every version renders exactly as issued,
refusals write nothing, and only reviewers issue."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from common.numbers import format_number
from reports.choices import LetterKind, LetterStatus
from reports.freezing import content_hash, issue_letter
from reports.models import Letter, LetterVersion
from reports.rendering_service import render_and_store
from reports.services import draft_for
from scoring.actions import set_score
from scoring.models import CriteriaSet, Period
from units.choices import Role

from .conftest import cchc_seed_rows, pdf_text
from .test_letter_pages import letter, media  # noqa: F401  (fixtures)

OLD_TOTAL = sum(r["deduction"] for r in cchc_seed_rows())


def issue(client, letter, number="1234", day="2023-08-21"):
    return client.post(reverse("reports:issue", args=[letter.pk]), {"number": number, "date": day})


def regrade_first_deducted(letter, user):
    """The council corrects the first deducted criterion to full marks; the row of seed 001 it was."""
    row = cchc_seed_rows()[0]
    score = letter.assessment.scores.get(criterion__code=row["code"])
    set_score(score, acting_user=user, reason="Hội đồng chấm lại", appraised_score=row["max"])
    return row


def sheet(client, name, *args) -> str:
    """The letter as the page shows it (its preview sheet)."""
    page = client.get(reverse(name, args=args)).content.decode()
    return re.search(r'<article class="sheet".*?</article>', page, re.S).group(0)


def version_pdf(client, letter, number) -> str:
    """Render one version through the page's button (the Celery task runs eagerly) and read its PDF."""
    assert client.post(reverse("reports:version-render", args=[letter.pk, number])).status_code == 302
    version = LetterVersion.objects.get(letter=letter, version=number)
    assert version.render_state == "done", version.render_error
    response = client.get(reverse("reports:version-download", args=[letter.pk, number, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return pdf_text(version.pdf.path)


def test_a_reviewer_issues_the_letter_from_its_page_as_version_1_with_its_hash(client, reviewer, letter):
    client.force_login(reviewer)
    draft = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()
    assert ">Ban hành</button>" in draft and "Lưu dự thảo" in draft

    response = issue(client, letter)

    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[letter.pk])
    letter.refresh_from_db()
    version = LetterVersion.objects.get(letter=letter)
    assert letter.status == LetterStatus.ISSUED and (letter.number, str(letter.date)) == ("1234", "2023-08-21")
    assert (version.version, version.number, version.issued_by) == (1, "1234", reviewer)
    assert version.sha256 == content_hash(version.facts)
    page = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()
    assert "Lưu dự thảo" not in page and ">Ban hành</button>" not in page  # read-only, issued once
    row = re.search(r'<tr data-version="1">(.*?)</tr>', page, re.S).group(1)
    assert "1234 · 21/08/2023" in row and version.sha256[:12] in row and reviewer.username in row
    assert "Ban hành lại / đính chính" in page


def test_a_score_corrected_after_issue_changes_neither_the_issued_page_nor_its_pdf(
        client, reviewer, letter, media, poppler):
    client.force_login(reviewer)
    issue(client, letter)
    before_pages = [sheet(client, "reports:detail", letter.pk), sheet(client, "reports:version", letter.pk, 1)]
    before_pdf = version_pdf(client, letter, 1)
    assert format_number(OLD_TOTAL) in before_pdf and f"{format_number(abs(OLD_TOTAL))} điểm" in before_pages[0]

    regrade_first_deducted(letter, reviewer)

    after_pages = [sheet(client, "reports:detail", letter.pk), sheet(client, "reports:version", letter.pk, 1)]
    assert after_pages == before_pages
    assert version_pdf(client, letter, 1) == before_pdf
    detail = client.get(reverse("reports:detail", args=[letter.pk]))
    assert dict(detail.context["figures"])["Tổng điểm bị trừ"] == format_number(OLD_TOTAL)


def test_a_correction_makes_version_2_whose_page_shows_the_changed_figures_and_version_1_stays(
        client, reviewer, letter, media, poppler):
    client.force_login(reviewer)
    issue(client, letter)
    first_pdf = version_pdf(client, letter, 1)
    row = regrade_first_deducted(letter, reviewer)

    response = client.post(reverse("reports:correct", args=[letter.pk]),
                           {"reason": "Hội đồng thẩm định điều chỉnh điểm", "number": "", "date": ""})

    assert response["Location"] == reverse("reports:version", args=[letter.pk, 2])
    second = LetterVersion.objects.get(letter=letter, version=2)
    assert (second.number, second.reason) == ("1234", "Hội đồng thẩm định điều chỉnh điểm")
    page = client.get(response["Location"])
    changes = {(c.section, c.label): (c.old, c.new) for c in page.context["changes"]}
    new_total = OLD_TOTAL - row["deduction"]
    assert changes[("Số liệu chính", "Tổng điểm bị trừ")] == (format_number(OLD_TOTAL), format_number(new_total))
    assert changes[("Điểm", f"{row['code']} — điểm thẩm định")] == (format_number(row["appraised"]),
                                                                    format_number(row["max"]))
    shown = page.content.decode()
    assert re.search(rf'<td class="old">{re.escape(format_number(OLD_TOTAL))}</td><td class="new">'
                     rf'{re.escape(format_number(new_total))}</td>', shown)
    # Version 1 still renders as issued; version 2 says the corrected total.
    assert version_pdf(client, letter, 1) == first_pdf
    second_pdf = version_pdf(client, letter, 2)
    assert format_number(new_total) in second_pdf and format_number(OLD_TOTAL) not in second_pdf
    detail = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()
    assert '<tr data-version="2">' in detail and "Hội đồng thẩm định điều chỉnh điểm" in detail


def test_a_correction_under_a_new_number_is_a_new_version_with_that_number(client, reviewer, letter):
    client.force_login(reviewer)
    issue(client, letter)

    client.post(reverse("reports:correct", args=[letter.pk]),
                {"reason": "Đính chính số văn bản", "number": "1240", "date": "2023-08-22"})

    second = LetterVersion.objects.get(letter=letter, version=2)
    assert (second.number, str(second.date)) == ("1240", "2023-08-22")
    labels = [c.label for c in client.get(reverse("reports:version", args=[letter.pk, 2])).context["changes"]]
    assert "Số văn bản" in labels


@pytest.mark.parametrize("data, message", [
    ({"number": "", "date": "2023-08-21"}, "Cần nhập số văn bản"),
    ({"number": "1234", "date": ""}, "Cần nhập ngày ban hành"),
    ({"number": "1234", "date": "21-21-2023"}, "Ngày ban hành không hợp lệ"),
])
def test_an_issue_without_number_or_date_is_refused_and_writes_nothing(client, reviewer, letter, data, message):
    client.force_login(reviewer)

    response = client.post(reverse("reports:issue", args=[letter.pk]), data)

    assert response.status_code == 422 and message in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT and letter.number == "" and not letter.versions.exists()


def test_an_issue_of_an_issued_letter_and_an_empty_correction_are_refused_and_write_nothing(client, reviewer, letter):
    client.force_login(reviewer)
    issue(client, letter)
    first = LetterVersion.objects.get(letter=letter)

    again = client.post(reverse("reports:issue", args=[letter.pk]), {"number": "9999", "date": "2023-09-01"},
                        follow=True)
    no_reason = client.post(reverse("reports:correct", args=[letter.pk]), {"reason": " "})
    unchanged = client.post(reverse("reports:correct", args=[letter.pk]), {"reason": "Kiểm tra lại"})

    assert "Văn bản đã ban hành số 1234 ngày 21/08/2023" in again.content.decode()
    assert no_reason.status_code == 422 and "Cần ghi lý do" in no_reason.content.decode()
    assert unchanged.status_code == 422
    assert "Số liệu và nội dung không đổi so với phiên bản 1" in unchanged.content.decode()
    assert list(LetterVersion.objects.filter(letter=letter)) == [first]
    letter.refresh_from_db()
    assert (letter.number, str(letter.date)) == ("1234", "2023-08-21")


def test_a_correction_of_a_draft_is_refused(client, reviewer, letter):
    client.force_login(reviewer)

    response = client.post(reverse("reports:correct", args=[letter.pk]), {"reason": "Đính chính"}, follow=True)

    assert "Văn bản chưa ban hành" in response.content.decode()
    assert not letter.versions.exists()


def test_leaders_read_versions_and_changes_but_cannot_issue_or_correct(client, reviewer, viewer, letter, media):
    client.force_login(reviewer)
    issue(client, letter)
    client.force_login(viewer)

    detail = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()
    assert '<tr data-version="1">' in detail and "Ban hành lại / đính chính" not in detail
    assert client.get(reverse("reports:version", args=[letter.pk, 1])).status_code == 200
    assert client.get(reverse("reports:version-status", args=[letter.pk, 1])).status_code == 200
    assert client.post(reverse("reports:correct", args=[letter.pk]), {"reason": "x", "number": "77"}).status_code == 403
    assert client.post(reverse("reports:version-render", args=[letter.pk, 1])).status_code == 403
    other = Letter.objects.create(kind=LetterKind.CCHC_REMEDIATION, period=letter.period, assessment=letter.assessment)
    assert issue(client, other).status_code == 403
    assert LetterVersion.objects.filter(letter=letter).count() == 1 and not other.versions.exists()
    assert LetterVersion.objects.get(letter=letter).render_state == "idle"


def test_unit_heads_get_nothing_of_a_letters_versions(client, reviewer, head_vinhkhe, letter):
    client.force_login(reviewer)
    issue(client, letter)
    client.force_login(head_vinhkhe)

    for url in (reverse("reports:version", args=[letter.pk, 1]), reverse("reports:version-status", args=[letter.pk, 1]),
                reverse("reports:version-download", args=[letter.pk, 1, "pdf"])):
        assert client.get(url).status_code == 403, url
    for url in (reverse("reports:issue", args=[letter.pk]), reverse("reports:correct", args=[letter.pk]),
                reverse("reports:version-render", args=[letter.pk, 1])):
        assert client.post(url, {"reason": "x", "number": "1", "date": "2023-09-01"}).status_code == 403, url
    assert LetterVersion.objects.filter(letter=letter).count() == 1


def test_a_version_that_does_not_exist_answers_404(client, reviewer, letter):
    client.force_login(reviewer)
    issue(client, letter)

    assert client.get(reverse("reports:version", args=[letter.pk, 2])).status_code == 404


def test_the_issued_letters_page_costs_the_same_queries_whatever_its_number_of_versions(
        client, reviewer, letter, django_assert_num_queries):
    """Session, user, membership, letter, the authority's units (twice) and its row, the versions in one
    query, the unread notifications: the issued letter is read from its version, not rebuilt."""
    client.force_login(reviewer)
    issue(client, letter)
    with django_assert_num_queries(9):
        assert client.get(reverse("reports:detail", args=[letter.pk])).status_code == 200
    for number in ("1240", "1241", "1242"):
        client.post(reverse("reports:correct", args=[letter.pk]), {"reason": "Đính chính số", "number": number})
    assert letter.versions.count() == 4

    with django_assert_num_queries(9):
        page = client.get(reverse("reports:detail", args=[letter.pk]))
    assert page.content.decode().count("<tr data-version=") == 4


def test_the_admin_cannot_mark_a_letter_issued_nor_change_an_issued_letters_number(client, superuser, reviewer,
                                                                                     letter):
    client.force_login(superuser)
    change = reverse("admin:reports_letter_change", args=[letter.pk])
    form = client.get(change).context["adminform"].form
    assert "status" not in form.fields and "number" in form.fields
    data = {name: "" if value is None else value for name, value in form.initial.items()
            if name in form.fields and name not in ("pdf", "docx")}
    data.update({"kind": letter.kind, "period": letter.period.pk, "assessment": letter.assessment.pk,
                 "status": "issued", "number": "55", "recipients": "[]", "body": "{}"})
    assert client.post(change, data).status_code == 302  # saved: the draft's number, not its status
    letter.refresh_from_db()
    assert letter.number == "55"
    assert letter.status == LetterStatus.DRAFT and not letter.versions.exists()

    client.force_login(reviewer)
    issue(client, letter)
    client.force_login(superuser)
    fields = client.get(change).context["adminform"].form.fields
    assert "number" not in fields and "date" not in fields


def test_a_letter_whose_data_is_missing_is_refused_in_words_and_nothing_is_written(client, reviewer, letter,
                                                                                   district):
    # The district's plan for the period, whose HTNV assessment was never entered.
    plan = Letter.objects.create(kind=LetterKind.REMEDIATION_PLAN, period=letter.period, authority=district)
    client.force_login(reviewer)

    response = issue(client, plan)

    assert response.status_code == 422 and "Không tìm thấy" in response.content.decode()
    plan.refresh_from_db()
    assert (plan.status, plan.number, plan.date) == (LetterStatus.DRAFT, "", None) and not plan.versions.exists()


def test_another_authoritys_reviewer_and_leader_find_no_version_of_the_letter(both_authorities, client, make_user):
    vinh_linh_reviewer = get_user_model().objects.get(username="reviewer")
    letter = draft_for(LetterKind.CCHC_REMEDIATION, Period.objects.get(code="2023-H1"),
                       CriteriaSet.objects.get(code="CCHC-2023"), acting_user=vinh_linh_reviewer)
    issue_letter(letter, acting_user=vinh_linh_reviewer, number="1234", date=date(2023, 8, 21))
    province_reviewer = get_user_model().objects.get(username="reviewer_tinh")
    province_leader = make_user("lanhdao_tinh", Role.VIEWER, province_reviewer.membership.unit)

    for user in (province_reviewer, province_leader):
        client.force_login(user)
        for url in (reverse("reports:version", args=[letter.pk, 1]),
                    reverse("reports:version-status", args=[letter.pk, 1]),
                    reverse("reports:version-download", args=[letter.pk, 1, "pdf"]),
                    f"/api/v1/letters/{letter.pk}/versions/"):
            assert client.get(url).status_code == 404, (user.username, url)
    client.force_login(province_reviewer)
    assert client.post(reverse("reports:correct", args=[letter.pk]), {"reason": "x", "number": "9"}).status_code == 404
    assert letter.versions.count() == 1


def test_files_rendered_before_issue_are_said_out_of_date_until_rendered_from_the_issued_version(
        client, reviewer, letter, media, poppler):
    client.force_login(reviewer)
    client.post(reverse("reports:render", args=[letter.pk]))
    letter.refresh_from_db()
    assert "Số: 1234/" not in pdf_text(letter.pdf.path)

    issue(client, letter)

    page = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()
    assert "Văn bản đã ban hành sau lần xuất tệp gần nhất" in page
    client.post(reverse("reports:render", args=[letter.pk]))
    letter.refresh_from_db()
    assert "Số: 1234/" in pdf_text(letter.pdf.path)
    assert "Văn bản đã ban hành sau lần xuất tệp gần nhất" not in client.get(
        reverse("reports:detail", args=[letter.pk])).content.decode()


def test_a_version_render_that_fails_is_recorded_on_the_version_and_the_letter_stays_issued(
        client, reviewer, letter, media):
    client.force_login(reviewer)
    issue(client, letter)

    result = render_and_store(letter.pk, "xls", version=1)

    version = LetterVersion.objects.get(letter=letter, version=1)
    assert result["state"] == version.render_state == "failed"
    assert "Định dạng không hỗ trợ" in version.render_error and not version.pdf
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED
    page = client.get(reverse("reports:version", args=[letter.pk, 1])).content.decode()
    assert "Định dạng không hỗ trợ" in page
