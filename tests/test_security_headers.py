"""Production settings brought up for real: gunicorn with config/gunicorn.conf.py, DEBUG=0, a trusted proxy.

One module-scoped server (migrate + collectstatic + demo users on a temporary SQLite file, ~15 s) answers every
test here over a socket, as Caddy would talk to it: X-Forwarded-Proto/-For from the trusted proxy (127.0.0.1).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

REPO = Path(__file__).resolve().parents[1]
HOST = "readout.test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _production_env(tmp: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW_ASYNC", "PYTEST"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        TRUSTED_PROXIES="127.0.0.1",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESSLOG="",
    )
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    port = _free_port()
    env = _production_env(tmp, GUNICORN_BIND=f"127.0.0.1:{port}")
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.2)
    yield port
    proc.terminate()
    proc.wait(20)


class Browser:
    """A tiny cookie-keeping client that talks to gunicorn as the TLS proxy does."""

    def __init__(self, port, proto="https", client_ip="198.51.100.20"):
        self.port, self.proto, self.client_ip, self.cookies = port, proto, client_ip, {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        hdrs = {"Host": HOST, "X-Forwarded-Proto": self.proto, "X-Forwarded-For": self.client_ip}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            hdrs["Origin"] = hdrs["Referer"] = f"{self.proto}://{HOST}"
            body = urlencode(body)
        hdrs.update(headers or {})
        conn.request(method, path, body=body, headers=hdrs)
        response = conn.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response

    def login(self, username, password):
        page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request(
            "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )


def test_health_check_answers_without_host_or_https(server):
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    conn.request("GET", "/healthz", headers={"Host": "web:8000"})
    response = conn.getresponse()
    assert response.status == 200 and response.read() == b"ok"


def test_plain_http_from_the_proxy_is_redirected_to_https(server):
    response = Browser(server, proto="http").request("GET", "/accounts/login/")
    assert response.status == 301 and response.getheader("Location") == f"https://{HOST}/accounts/login/"


def test_https_pages_carry_the_security_headers(server):
    response = Browser(server).request("GET", "/accounts/login/")
    assert response.status == 200
    headers = {k.lower(): v for k, v in response.getheaders()}
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "camera=()" in headers["permissions-policy"] and "geolocation=()" in headers["permissions-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"


def test_static_files_have_a_permissions_policy_and_stay_cacheable(server):
    page = Browser(server).request("GET", "/accounts/login/")
    css = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
    response = Browser(server).request("GET", css)
    assert response.status == 200 and "camera=()" in response.getheader("Permissions-Policy")
    assert "no-store" not in (response.getheader("Cache-Control") or "")


def test_login_sets_secure_cookies_and_authenticated_pages_are_not_stored(server):
    browser = Browser(server)
    response = browser.login("supervisor", "supervisor-demo-pass")
    assert response.status == 302, response.text[:500]
    cookies = response.headers.get_all("Set-Cookie")
    session = next(c for c in cookies if c.startswith("sessionid="))
    assert "Secure" in session and "HttpOnly" in session
    for path in ("/articles/", "/review/", "/exports/", "/exports/download/?format=jsonl"):
        page = browser.request("GET", path)
        assert page.status == 200, (path, page.status)
        cache_control = page.getheader("Cache-Control") or ""
        assert "private" in cache_control and "no-store" in cache_control, (path, cache_control)
        assert "camera=()" in page.getheader("Permissions-Policy")


def test_login_throttle_is_shared_by_the_gunicorn_workers(server):
    """Two gunicorn workers, the database cache: the counter is one, whichever worker answers."""
    browser = Browser(server, client_ip="203.0.113.77")
    statuses = [browser.login("ａｎａｌｙｓｔ", "wrong").status for _ in range(5)]
    assert statuses == [200] * 5
    assert browser.login("analyst", "analyst-demo-pass").status == 429


def test_x_forwarded_proto_from_an_untrusted_client_is_ignored(client, settings):
    """Before: SECURE_PROXY_SSL_HEADER trusted X-Forwarded-Proto from anyone that could reach gunicorn."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    spoofed = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="192.0.2.9")
    assert spoofed.status_code == 301  # still plain HTTP: redirected
    proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.0.0.1")
    assert proxied.status_code == 200


@pytest.mark.parametrize(
    "secret",
    [
        "change-me-to-a-long-random-string-of-at-least-50-characters",  # .env.example's
        "change-me-to-a-long-random-string-of-at-least-40-chars",  # the one shipped before
        "a" * 60,
        "short-but-random-Zq8",
    ],
)
def test_the_start_up_guard_refuses_placeholder_and_weak_secrets(secret, tmp_path):
    env = _production_env(tmp_path, SECRET_KEY=secret)
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr


def test_the_env_example_secret_is_refused(tmp_path):
    example = (REPO / ".env.example").read_text()
    secret = re.search(r"^SECRET_KEY=(.*)$", example, re.M).group(1).strip()
    env = _production_env(tmp_path, SECRET_KEY=secret)
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "placeholder" in done.stderr


def test_production_settings_pass_check_deploy_and_keep_connections(tmp_path):
    env = _production_env(tmp_path, DATABASE_URL="postgres://u@127.0.0.1:5432/readout")
    script = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.SECURE_PROXY_SSL_HEADER, "
        "s.CACHES['shared']['BACKEND'].rsplit('.', 1)[1])"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.stdout.split() == ["60", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')", "DatabaseCache"], done.stderr
    env.pop("TRUSTED_PROXIES")
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "from django.conf import settings as s; "
            "print(hasattr(s, 'SECURE_PROXY_SSL_HEADER') and s.SECURE_PROXY_SSL_HEADER)",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "None", "no proxy configured: no SECURE_PROXY_SSL_HEADER"
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env={**env, "TRUSTED_PROXIES": "127.0.0.1"},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
