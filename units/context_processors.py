"""What every page's header says of whom the application works for: the office of the user's
authority ("Phòng Nội vụ" of a district, "Sở Nội vụ" of a province), read only when a page shows it."""

from django.utils.functional import SimpleLazyObject

DEFAULT_OFFICE = "Phòng Nội vụ"


def office(request) -> dict:
    def name() -> str:
        from .access import authority_of

        user = getattr(request, "user", None)
        found = authority_of(user) if user is not None and user.is_authenticated else None
        return found.home_affairs_office if found is not None and found.home_affairs_office else DEFAULT_OFFICE

    return {"office": SimpleLazyObject(name)}
