import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_renders_and_logs_in(client, analyst):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    response = client.post(reverse("accounts:login"), {"username": "ana", "password": "pass-for-tests"})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:queue")  # analysts land on My queue


def test_wrong_password_is_refused_with_a_message(client, analyst):
    response = client.post(reverse("accounts:login"), {"username": "ana", "password": "nope"})
    assert response.status_code == 200
    assert b"didn&#x27;t match" in response.content or b"didn't match" in response.content


def test_repeated_failures_are_throttled_even_with_the_right_password(client, analyst, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "ana", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "ana", "password": "pass-for-tests"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_pages_send_a_csp_that_forbids_inline_script(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("reading:article_list"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert b"<script>" not in response.content


def test_only_staff_get_a_link_to_the_admin_site(client, analyst, supervisor, admin_user):
    admin_link = f'href="{reverse("admin:index")}"'.encode()
    for user, linked in ((analyst, False), (supervisor, False), (admin_user, True)):
        client.force_login(user)
        assert (admin_link in client.get(reverse("reading:article_list")).content) is linked, user.username


def test_403_and_404_pages_say_why_and_keep_the_navigation(client, analyst):
    client.force_login(analyst)
    forbidden = client.get(reverse("review:dashboard"))
    assert forbidden.status_code == 403
    html = forbidden.content.decode()
    assert "Supervisors only." in html and f'href="{reverse("review:queue")}"' in html
    missing = client.get(reverse("reading:article_detail", args=[999999]))
    assert missing.status_code == 404
    assert f'href="{reverse("review:queue")}"' in missing.content.decode()


def test_home_sends_analysts_to_my_queue_and_supervisors_to_the_articles(client_for, client, analyst, supervisor):
    assert client.get("/")["Location"].startswith(reverse("accounts:login"))
    assert client_for(analyst).get("/")["Location"] == reverse("review:queue")
    assert client_for(supervisor).get("/")["Location"] == reverse("reading:article_list")


def test_a_supervisor_logging_in_lands_on_the_articles_and_next_still_wins(client, supervisor):
    response = client.post(reverse("accounts:login"), {"username": "sue", "password": "pass-for-tests"})
    assert response["Location"] == reverse("reading:article_list")
    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": "sue", "password": "pass-for-tests", "next": "/codebook/"}
    )
    assert response["Location"] == "/codebook/"


def test_every_user_changes_their_own_password(client_for, analyst):
    client = client_for(analyst)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert 'name="old_password"' in page and 'name="new_password2"' in page
    assert reverse("accounts:password_change") in client.get(reverse("review:queue")).content.decode()
    bad = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "A-much-better-one-42", "new_password2": "A-much-better-one-42"},
    )
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pass-for-tests",
            "new_password1": "A-much-better-one-42",
            "new_password2": "A-much-better-one-42",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    analyst.refresh_from_db()
    assert analyst.check_password("A-much-better-one-42")
    assert client.get(reverse("accounts:password_change_done")).status_code == 200  # still logged in
