"""What the navigation shows depends on the organizations a person belongs to."""

from django.http import HttpRequest

from accounts.models import Organization


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"authenticated": False}}

    def compute() -> dict[str, object]:
        # The same cached membership rows the page's own checks read: no query of its own.
        kinds = user.organization_kinds()
        return {
            "authenticated": True,
            "is_city_staff": Organization.Kind.CITY in kinds,
            "is_partner": bool(kinds - {Organization.Kind.CITY}),
            "has_organization": bool(kinds),
            "is_site_staff": user.is_staff,
        }

    # Lazily evaluated: pages that never render the nav pay no query.
    return {"nav": _Lazy(compute)}


class _Lazy:
    def __init__(self, factory: object) -> None:
        self._factory = factory
        self._value: dict[str, object] | None = None

    def __getitem__(self, key: str) -> object:
        if self._value is None:
            self._value = self._factory()  # type: ignore[operator]
        return self._value[key]
