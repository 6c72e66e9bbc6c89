"""What every page's header says of whom the application works for: the office of the user's
authority ("Phòng Nội vụ" of a district, "Sở Nội vụ" of a province), read only when a page shows it."""

from django.utils.functional import SimpleLazyObject

# Before sign-in (the login page) the user's authority is unknown: the registry's only authority's
# office when there is one, else the office named by its function, true of any tier.
NEUTRAL_OFFICE = "Cơ quan nội vụ"


def office(request) -> dict:
    def name() -> str:
        from .access import authority_of
        from .models import Authority

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            found = authority_of(user)
            return found.home_affairs_office if found is not None and found.home_affairs_office else NEUTRAL_OFFICE
        offices = list(Authority.objects.order_by("pk").values_list("home_affairs_office", flat=True)[:2])
        return offices[0] if len(offices) == 1 and offices[0] else NEUTRAL_OFFICE

    return {"office": SimpleLazyObject(name)}
