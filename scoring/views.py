from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from units.access import role_of, visible_units

from .services import assessment_summaries


@login_required
def home(request):
    """The first page: the units the user may see and the assessments with their totals."""
    if role_of(request.user) is None:
        raise PermissionDenied("Tài khoản chưa được phân vai trò.")
    units = visible_units(request.user).select_related("parent").order_by("sort_order", "name")
    return render(request, "scoring/home.html", {
        "units": units,
        "summaries": assessment_summaries(units),
    })
