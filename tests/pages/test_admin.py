"""The admin: every registered model opens; audit and action-written rows cannot be changed there;
only staff get in."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from documents.models import ImportBatch, MetricValue
from reports.models import Letter
from scoring.models import (
    Assessment, CriteriaSet, Criterion, CriterionResponsibility, Period, RemediationTask, Score, ScoreChange,
)
from units.accounts import create_demo_users
from units.choices import Role, SourceSystem
from units.demo import load_registry
from units.models import UnitAlias, UnitCode

APPS = {"units", "scoring", "documents", "reports"}


@pytest.fixture
def one_of_each(reviewer, noi_vu, vinh_khe, superuser):
    """One row of every model, so that list columns and change pages are rendered, not just empty tables."""
    UnitAlias.objects.create(unit=vinh_khe, name="Vĩnh Khê")
    UnitCode.objects.create(unit=vinh_khe, system=SourceSystem.QLVB, code="4242")
    period = Period.objects.create(code="2023-H1", name="6 tháng đầu năm 2023", kind="half_year", year=2023,
                                   start=date(2022, 12, 15), end=date(2023, 6, 14))
    criteria_set = CriteriaSet.objects.create(code="cchc-2023", name="Chỉ số CCHC 2023", kind="cchc", year=2023, subject_kind="district")
    criterion = Criterion.objects.create(criteria_set=criteria_set, code="1.1.3", name="Mức độ thực hiện kế hoạch CCHC",
                                         level="sub_criterion", max_score=Decimal("2"))
    CriterionResponsibility.objects.create(criterion=criterion, unit=noi_vu, is_lead=True)
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=vinh_khe)
    score = Score.objects.create(assessment=assessment, criterion=criterion, self_score=Decimal("2"), appraised_score=Decimal("0.85"))
    ScoreChange.objects.create(score=score, field="appraised_score", old_value="2", new_value="0.85", changed_by=reviewer, reason="Hội đồng thẩm định")
    RemediationTask.objects.create(assessment=assessment, criterion=criterion, responsible_unit=noi_vu, action="Hoàn thành các nhiệm vụ còn lại")
    batch = ImportBatch.objects.create(file_name="vb-den.xlsx", sha256="0" * 64, source="incoming", period=period, created_by=reviewer)
    MetricValue.objects.create(batch=batch, unit=vinh_khe, period=period, key="incoming_total", value=Decimal("14678"))
    Letter.objects.create(kind="cchc-remediation", period=period, assessment=assessment, created_by=reviewer)
    return score


def our_model_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label in APPS]


def test_every_model_of_the_four_apps_is_in_the_admin():
    from django.apps import apps

    registered = {model for model, _ in our_model_admins()}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            assert model in registered, f"{model._meta.label} has no admin"


def test_it_opens_every_list_add_and_change_page_for_a_superuser(client, superuser, one_of_each):
    client.force_login(superuser)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    # Every registered model, ours and the libraries' (users, groups, API tokens, schedules).
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        assert client.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200, info
        # Read-only models refuse the add page; the others show it.
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert client.get(reverse("admin:%s_%s_add" % info)).status_code == expected, info
        obj = model.objects.first()
        if obj is not None:
            assert client.get(reverse("admin:%s_%s_change" % info, args=[obj.pk])).status_code == 200, info


def test_it_shows_the_deduction_as_a_computed_column(client, superuser, one_of_each):
    client.force_login(superuser)
    page = client.get(reverse("admin:scoring_score_changelist")).content.decode()
    assert "điểm bị trừ" in page.lower()
    assert "-1,15" in page


def test_it_keeps_the_score_audit_read_only(client, superuser, one_of_each):
    change = ScoreChange.objects.get()
    client.force_login(superuser)
    url = reverse("admin:scoring_scorechange_change", args=[change.pk])

    response = client.post(url, {"field": "self_score", "old_value": "x", "new_value": "y", "reason": "sửa lén"})
    assert response.status_code == 403
    delete = client.post(reverse("admin:scoring_scorechange_delete", args=[change.pk]), {"post": "yes"})
    assert delete.status_code == 403

    change.refresh_from_db()
    assert (change.field, change.new_value, change.reason) == ("appraised_score", "0.85", "Hội đồng thẩm định")


def test_it_does_not_let_the_admin_change_a_score_but_shows_its_history(client, superuser, one_of_each):
    score = one_of_each
    client.force_login(superuser)
    page = client.get(reverse("admin:scoring_score_change", args=[score.pk])).content.decode()
    assert "Hội đồng thẩm định" in page  # the reason of the change, from the audit row

    response = client.post(reverse("admin:scoring_score_change", args=[score.pk]), {"appraised_score": "2"})
    assert response.status_code == 403
    score.refresh_from_db()
    assert score.appraised_score == Decimal("0.85")


def test_it_keeps_a_leader_out_of_the_admin(client, viewer):
    client.force_login(viewer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_it_lets_the_demo_reviewer_keep_the_catalogue_but_not_the_users(client, db):
    load_registry()
    create_demo_users()
    client.login(username="reviewer", password="demo-password")

    assert client.get(reverse("admin:scoring_criterion_changelist")).status_code == 200
    assert client.get(reverse("admin:scoring_criterion_add")).status_code == 200
    assert client.get(reverse("admin:units_unit_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_letter_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_it_shows_and_sets_a_users_role_where_the_user_is(client, superuser, reviewer):
    client.force_login(superuser)

    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert Role.REVIEWER.label in listing

    page = client.get(reverse("admin:auth_user_change", args=[reviewer.pk])).content.decode()
    assert 'name="membership-0-role"' in page
