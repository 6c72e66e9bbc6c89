"""Roles: who passes role_required and which units each role sees."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from units.access import NO_ROLE_MESSAGE, can_edit_scores, role_required, visible_units
from units.choices import Role


@role_required(Role.REVIEWER)
def reviewers_only(request):
    return HttpResponse("ok")


@role_required()
def any_role(request):
    return HttpResponse("ok")


def call(view, user):
    request = RequestFactory().get("/trang/")
    request.user = user
    return view(request)


def test_it_sends_an_anonymous_user_to_the_login_page(db):
    response = call(any_role, AnonymousUser())
    assert response.status_code == 302
    assert response.url == "/dang-nhap/?next=/trang/"


def test_it_refuses_a_user_without_a_role_with_a_vietnamese_message(no_role_user):
    with pytest.raises(PermissionDenied) as refused:
        call(any_role, no_role_user)
    assert str(refused.value) == NO_ROLE_MESSAGE
    assert "phân vai trò" in NO_ROLE_MESSAGE


@pytest.mark.parametrize("fixture", ["viewer", "head_vinhkhe"])
def test_it_refuses_other_roles_where_only_reviewers_may_go(request, fixture):
    with pytest.raises(PermissionDenied):
        call(reviewers_only, request.getfixturevalue(fixture))


def test_it_lets_the_right_role_through(reviewer, viewer, head_vinhkhe, superuser):
    assert call(reviewers_only, reviewer).status_code == 200
    assert call(reviewers_only, superuser).status_code == 200
    for user in (reviewer, viewer, head_vinhkhe):
        assert call(any_role, user).status_code == 200


def test_it_shows_each_role_the_units_it_may_see(reviewer, viewer, head_vinhkhe, no_role_user, noi_vu, vinh_khe):
    everything = {noi_vu, vinh_khe}
    assert set(visible_units(reviewer)) == everything
    assert set(visible_units(viewer)) == everything
    assert set(visible_units(head_vinhkhe)) == {vinh_khe}
    assert set(visible_units(no_role_user)) == set()


def test_only_reviewers_edit_scores(reviewer, viewer, head_vinhkhe, no_role_user):
    assert can_edit_scores(reviewer)
    assert not any(can_edit_scores(u) for u in (viewer, head_vinhkhe, no_role_user))
