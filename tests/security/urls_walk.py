"""Every URL pattern of the project, found by walking the resolver, with a concrete path for each."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

def walk(resolver=None, prefix: str = "", namespace: str = ""):
    """(route text, namespaced name or None, URLPattern) for every pattern, includes followed."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), (namespace + pattern.name) if pattern.name else None, pattern

def parameters(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)

def admin_path(route: str, name: str | None, pattern: URLPattern) -> str:
    """Admin patterns take any id: the admin refuses every non-staff user before it looks anything up."""
    if name is None:
        return "/admin/khong-co-trang-nay/"  # the admin's catch-all
    values = {"object_id": "1", "content_type_id": "1", "id": "1", "app_label": "auth"}
    kwargs = {key: values[key] for key in parameters(pattern)}
    return reverse(name, kwargs=kwargs)

def format_suffix(pattern: URLPattern) -> bool:
    return "format" in parameters(pattern)

def fill(name: str, pattern: URLPattern, kwargs: dict) -> str:
    kwargs = dict(kwargs)
    if format_suffix(pattern):
        kwargs["format"] = "json"
    path = reverse(name, kwargs=kwargs)
    return path
