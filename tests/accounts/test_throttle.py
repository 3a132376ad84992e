"""Login throttling: one account, one counter, whatever the spelling; admin login too; a shared cache; client IP
only from a trusted proxy; backoff that slows guessing but never locks the real user out."""

import socket
import time
import uuid

import pytest
from django.core.cache import caches
from django.urls import reverse

from apps.accounts.throttle import DEVICE_COOKIE, normalize_username
from config.middleware import client_ip

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def post(client, username, password, url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


@pytest.fixture(autouse=True)
def _throttle_settings(settings, db):
    from django.core.cache import caches

    for alias in ("default", "shared"):  # counters of earlier tests (same users, same IP) must not leak in
        caches[alias].clear()
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_IP_MAX_FAILURES = 50
    settings.LOGIN_BACKOFF_BASE_S = 30
    settings.LOGIN_BACKOFF_MAX_S = 300


def test_usernames_are_normalised_nfkc_and_casefolded():
    assert normalize_username("ｓｕｐｅｒｖｉｓｏｒ") == "supervisor"
    assert normalize_username(" SuPerVisor ") == "supervisor"
    assert normalize_username("STRAẞE") == normalize_username("strasse")


def test_fullwidth_and_uppercase_spellings_are_the_same_account(client, supervisor):
    for spelling in ("ｓｕｅ", "SUE", "Ｓue"):
        client.logout()
        response = post(client, spelling, "pass-for-tests")
        assert response.status_code == 302, spelling
        assert client.session["_auth_user_id"] == str(supervisor.pk)


def test_fullwidth_spelling_shares_the_failure_counter(client, supervisor):
    """Before: each spelling had its own counter (156 unthrottled guesses, then success)."""
    for spelling in ("sue", "ＳＵＥ", "ｓｕｅ"):
        assert post(client, spelling, "wrong").status_code == 200
    response = post(client, "Ｓｕｅ", "pass-for-tests")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "_auth_user_id" not in client.session


def test_admin_login_is_throttled_too(client, admin_user):
    """Before: /admin/login/ had no throttle at all."""
    for _ in range(3):
        assert post(client, "root", "wrong", url=ADMIN_LOGIN).status_code == 200
    response = post(client, "ROOT", "pass-for-tests", url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # and failures on either login page count for the same account
    response = post(client, "root", "pass-for-tests")
    assert response.status_code == 429


def test_admin_login_still_works(client, admin_user):
    response = post(client, "root", "pass-for-tests", url=ADMIN_LOGIN + "?next=/admin/")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin_user.pk)


def test_throttle_state_is_in_the_shared_cache_not_the_process(client, analyst, settings):
    """Before: a LocMemCache counter per gunicorn worker (3 workers allowed 15 guesses)."""
    backend = settings.CACHES[settings.LOGIN_THROTTLE_CACHE]["BACKEND"]
    assert backend in ("django.core.cache.backends.db.DatabaseCache", "django.core.cache.backends.redis.RedisCache")
    post(client, "ana", "wrong")
    # the per-process cache can be wiped (another worker has its own): the count is still there
    caches["default"].clear()
    post(client, "ana", "wrong")
    post(client, "ana", "wrong")
    assert post(client, "ana", "pass-for-tests").status_code == 429


def _redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.3).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_throttle_works_on_redis_as_in_docker_compose(client, analyst, settings):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,
        },
    }
    try:
        for _ in range(3):
            post(client, "ana", "wrong")
        assert post(client, "ａｎａ", "pass-for-tests").status_code == 429
        import redis

        assert redis.Redis.from_url("redis://127.0.0.1:6379/15").keys(f"{prefix}:*")
    finally:
        caches["shared"].clear()


def test_a_spoofed_x_forwarded_for_does_not_reset_the_ip_counter(client, analyst, settings):
    """No trusted proxy configured: X-Forwarded-For is ignored, the IP counter sees through new usernames."""
    settings.TRUSTED_PROXIES = []
    settings.LOGIN_IP_MAX_FAILURES = 3
    for n in range(3):
        post(client, f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = post(client, "ana", "pass-for-tests", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_ip_has_its_own_counter(client, analyst, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LOGIN_IP_MAX_FAILURES = 3
    for n in range(3):
        post(client, f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert post(client, "ana", "pass-for-tests", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # another client behind the same proxy is not affected
    assert post(client, "ana", "pass-for-tests", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


def test_client_ip_reads_x_forwarded_for_right_to_left_and_only_from_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5, 10.9.9.9")
    assert client_ip(request) == "203.0.113.5"  # the client can forge 1.1.1.1, not what our proxies appended
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == "192.0.2.1"
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(request) == "10.1.2.3"


def test_an_attack_on_the_account_does_not_lock_out_the_real_users_browser(client, analyst, settings):
    """Before: failures locked the account for everyone, the real user included."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    real_user = client.__class__()
    assert post(real_user, "ana", "pass-for-tests", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    assert DEVICE_COOKIE in real_user.cookies
    real_user.post(reverse("accounts:logout"))
    # an attacker from many addresses hammers the account
    for n in range(20):
        post(client, "ana", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert post(client, "ana", "pass-for-tests", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
    # the real user's browser (it has logged in before) is judged on its own record
    response = post(real_user, "ana", "pass-for-tests", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302


def test_backoff_grows_is_capped_and_then_lets_the_right_password_in(client, analyst, settings):
    settings.LOGIN_BACKOFF_BASE_S = 0.5
    settings.LOGIN_BACKOFF_MAX_S = 1
    waits = []
    for _ in range(8):
        response = post(client, "ana", "wrong")
        if response.status_code == 429:
            waits.append(int(response["Retry-After"]))
            time.sleep(1.5)  # past the capped wait, with room for a loaded machine
    assert waits and max(waits) <= 1  # capped: a delay, never a lock
    time.sleep(2.5)
    assert post(client, "ana", "pass-for-tests").status_code == 302


def test_the_device_cookie_is_bound_to_its_account(client, analyst, other_analyst):
    assert post(client, "ana", "pass-for-tests").status_code == 302
    client.post(reverse("accounts:logout"))
    # the cookie from ana's login doesn't exempt bob's account from its counter
    for _ in range(3):
        post(client, "bob", "wrong")
    assert post(client, "bob", "pass-for-tests").status_code == 429


def test_a_forged_device_cookie_is_ignored(client, analyst):
    client.cookies[DEVICE_COOKIE] = "forged:value"
    for _ in range(3):
        post(client, "ana", "wrong")
    assert post(client, "ana", "pass-for-tests").status_code == 429
