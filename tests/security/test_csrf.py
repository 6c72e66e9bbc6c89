"""CSRF on every form: with the checks a browser gets (enforce_csrf_checks), every URL that accepts
POST refuses one without the token (403 naming CSRF), for a user who may otherwise post there, and
accepts the same request with the token. The URLs come from the permission table, which the
resolver walk keeps complete."""

import pytest

from common.security import CSRF_MESSAGE

from .conftest import ROLES, page_client
from .test_url_permissions import ACCESS, APP_PATTERNS, POST_DATA, category, fill

SECRET = "csrfsecretcsrfsecretcsrfsecret32"  # 32 characters of the allowed alphabet


def poster(expected: str) -> str:
    """A role the table lets post here (the refusal must then come from CSRF, not from the role)."""
    for role, answer in zip(ROLES, expected.split()):
        if answer == "A":
            return role
    return "reviewer"


def refused_by_csrf(response) -> bool:
    if response.streaming:
        return False  # a file was served: nothing refused
    body = response.content.decode(errors="replace")
    return response.status_code == 403 and (CSRF_MESSAGE in body or "CSRF Failed" in body)  # pages, API


POSTED = sorted(name for name, (_, _, _, on_post) in ACCESS.items() if set(on_post.split()) != {"M"})


def test_the_list_covers_the_forms():
    assert {"login", "logout", "score-save", "documents:upload", "api:letter-render"} <= set(POSTED)


@pytest.mark.parametrize("name", POSTED)
def test_a_post_without_the_token_is_refused(hostile, name):
    kwargs, _, _, on_post = ACCESS[name]
    role = poster(on_post)
    pattern = next(p for _, n, p in APP_PATTERNS if n == name and "format" not in p.pattern.regex.groupindex)
    path = fill(name, pattern, kwargs(hostile) if kwargs else {})
    data = POST_DATA.get(name, {})

    without = page_client(hostile, role, enforce_csrf_checks=True).post(path, data)

    assert without.status_code == 403, (name, role, without.status_code)
    assert refused_by_csrf(without), (name, without.content[:300])

    browser = page_client(hostile, role, enforce_csrf_checks=True)
    browser.cookies["csrftoken"] = SECRET
    with_token = browser.post(path, data, HTTP_X_CSRFTOKEN=SECRET)
    assert not refused_by_csrf(with_token), name
    # The same request with the token gets what the table says for this role.
    assert category(with_token) == on_post.split()[ROLES.index(role)], (name, role, with_token.status_code)
