"""An issued letter keeps what it said: frozen facts, content hash, identical text after the data changes,
new versions for corrections and the figures that changed between two versions."""

import json
from datetime import date

import pytest

from common.numbers import format_number
from reports.choices import LetterKind, LetterStatus
from reports.facts import build_for_letter, build_live
from reports.freezing import (
    LetterIssueError, canonical_json, content_hash, diff_versions, issue_letter, reissue_letter,
)
from reports.models import Letter, LetterVersion
from reports.rendering_service import render_and_store
from scoring.actions import set_score
from units.choices import Role
from units.models import Unit

from .conftest import cchc_seed_rows, pdf_text


@pytest.fixture
def issuer(make_user, district):
    """A reviewer of the registry's own Phòng Nội vụ (the shared fixture would create a second one)."""
    return make_user("noi_vu_reviewer", Role.REVIEWER, Unit.objects.get(name="Phòng Nội vụ"))


@pytest.fixture
def letter(cchc_assessment):
    return Letter.objects.create(kind=LetterKind.CCHC_REMEDIATION, period=cchc_assessment.period,
                                 assessment=cchc_assessment)


def first_deducted(assessment):
    """The first deducted criterion of seed 001's appendix, as the assessment stores it."""
    row = cchc_seed_rows()[0]
    return assessment.scores.get(criterion__code=row["code"]), row


def test_it_freezes_the_facts_with_a_hash_of_their_canonical_json(letter, issuer):
    version = issue_letter(letter, acting_user=issuer, number="1234", date=date(2023, 8, 21))

    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED and (letter.number, letter.date) == ("1234", date(2023, 8, 21))
    assert (version.version, version.number, version.issued_by) == (1, "1234", issuer)
    facts = json.loads(version.facts)
    assert canonical_json(facts) == version.facts  # stored canonically: sorted, compact
    assert content_hash(version.facts) == version.sha256
    # The frozen facts hold the seed's own figures: every deducted code with its appraised score.
    for row in cchc_seed_rows():
        assert facts["scores"][row["code"]]["appraised"] == format(row["appraised"].normalize(), "f")
    assert facts["document"]["number_line"].startswith("Số: 1234/")
    total = sum(r["deduction"] for r in cchc_seed_rows())
    assert facts["document"]["figures"]["deduction_total"] == format_number(total)


def test_it_renders_an_issued_letter_exactly_as_issued_after_a_score_changes(
        letter, issuer, settings, tmp_path, poppler):
    settings.MEDIA_ROOT = tmp_path / "media"
    issue_letter(letter, acting_user=issuer, number="1234", date=date(2023, 8, 21))
    render_and_store(letter.pk, "pdf")
    letter.refresh_from_db()
    first = pdf_text(letter.pdf.path)

    score, row = first_deducted(letter.assessment)
    set_score(score, acting_user=issuer, reason="Hội đồng chấm lại", appraised_score=row["max"])
    # The data really changed: a letter built from today's data no longer says the same.
    assert build_live(letter).figures != build_for_letter(letter).figures

    render_and_store(letter.pk, "pdf")
    letter.refresh_from_db()
    assert pdf_text(letter.pdf.path) == first
    assert format_number(sum(r["deduction"] for r in cchc_seed_rows())) in first


def test_it_refuses_to_issue_twice_under_the_same_number_and_date(letter, issuer):
    issue_letter(letter, acting_user=issuer, number="1234", date=date(2023, 8, 21))

    with pytest.raises(LetterIssueError, match="ban hành lại"):
        issue_letter(letter, acting_user=issuer, number="1234", date=date(2023, 8, 21))
    assert letter.versions.count() == 1


def test_it_makes_a_new_version_when_corrected_and_says_which_figures_changed(letter, issuer):
    first = issue_letter(letter, acting_user=issuer, number="1234", date=date(2023, 8, 21))
    score, row = first_deducted(letter.assessment)
    set_score(score, acting_user=issuer, reason="Hội đồng chấm lại", appraised_score=row["max"])

    second = reissue_letter(letter, acting_user=issuer, reason="Hội đồng thẩm định điều chỉnh điểm")

    assert (second.version, second.number, second.date) == (2, first.number, first.date)
    assert second.sha256 != first.sha256
    changes = {(c.section, c.label): (c.old, c.new) for c in diff_versions(first, second)}
    assert changes[("Điểm", f"{row['code']} — điểm thẩm định")] == (format_number(row["appraised"]),
                                                                    format_number(row["max"]))
    old_total = sum(r["deduction"] for r in cchc_seed_rows())
    assert changes[("Số liệu chính", "deduction_total")] == (format_number(old_total),
                                                             format_number(old_total - row["deduction"]))
    # The appraised score left the appendix of deducted criteria: that row is reported as gone.
    assert any(section == "Phụ lục" and label.startswith(row["code"]) and label.endswith("(bỏ)")
               for section, label in changes)
    # The letter now renders as its latest version.
    assert build_for_letter(letter).figures == json.loads(second.facts)["document"]["figures"]


def test_it_refuses_a_reissue_that_changes_nothing_or_gives_no_reason(letter, issuer):
    issue_letter(letter, acting_user=issuer, number="1234", date=date(2023, 8, 21))

    with pytest.raises(LetterIssueError, match="lý do"):
        reissue_letter(letter, acting_user=issuer, reason=" ")
    with pytest.raises(LetterIssueError, match="không đổi"):
        reissue_letter(letter, acting_user=issuer, reason="Kiểm tra lại")
    assert LetterVersion.objects.filter(letter=letter).count() == 1


def test_it_issues_under_a_new_number_as_a_new_version(letter, issuer):
    issue_letter(letter, acting_user=issuer, number="1234", date=date(2023, 8, 21))
    second = issue_letter(letter, acting_user=issuer, number="1240", date=date(2023, 8, 22))

    assert second.version == 2
    assert build_for_letter(letter).number_line.startswith("Số: 1240/")
    changes = [c.label for c in diff_versions(letter.versions.get(version=1), second)]
    assert "Số văn bản" in changes and "Địa danh, ngày" in changes


def test_a_draft_still_follows_the_data(letter, issuer):
    score, row = first_deducted(letter.assessment)
    before = build_for_letter(letter).figures["deduction_total"]
    set_score(score, acting_user=issuer, reason="Hội đồng chấm lại", appraised_score=row["max"])

    assert build_for_letter(letter).figures["deduction_total"] != before
