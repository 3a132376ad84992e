"""Every URL of every app refuses anonymous users (login first), whatever the method."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {"accounts:login"}


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                continue
            yield from _patterns(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name and namespace:
            yield f"{namespace}{entry.name}", entry


def _url(name, pattern):
    converters = getattr(pattern.pattern, "converters", {})
    kwargs = {
        key: ("x" if type(conv).__name__ in {"SlugConverter", "StringConverter"} else 1)
        for key, conv in converters.items()
    }
    return reverse(name, kwargs=kwargs)


NAMED = sorted(_patterns(), key=lambda item: item[0])


def test_the_url_list_covers_every_app():
    namespaces = {name.split(":")[0] for name, _ in NAMED}
    assert {"accounts", "reading", "ingest", "quotes", "annotations", "review", "exports"} <= namespaces


@pytest.mark.django_db
@pytest.mark.parametrize("name,pattern", NAMED, ids=[n for n, _ in NAMED])
def test_anonymous_users_are_sent_to_login(client, name, pattern):
    if name in PUBLIC or name == "accounts:logout":
        pytest.skip("public by design")
    url = _url(name, pattern)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in {302, 403, 405}, f"{method.__name__.upper()} {url}: {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login")), response["Location"]


@pytest.mark.django_db
def test_favicon_ico_redirects_to_the_static_svg(client, admin_user):
    # admin pages have no <link rel=icon>, so browsers ask for /favicon.ico
    client.force_login(admin_user)
    assert b"favicon" not in client.get(reverse("admin:index")).content
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")
    assert client.get(response["Location"]).status_code == 200
