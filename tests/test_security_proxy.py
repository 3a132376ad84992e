"""The shipped Caddyfiles in front of the production gunicorn: HTTPS with Caddy's local CA and a working login,
HTTP redirected; and the plain-HTTP LAN mode. Docker can't run here, so Caddy runs as a process (skipped when
the `caddy` binary is not installed: `apt-get install caddy`), with the compose service names and ports
rewritten to loopback ones; everything else is the file as shipped.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_security_headers import HOST, _free_port, _production_env

REPO = Path(__file__).resolve().parents[1]
CADDY = shutil.which("caddy")
pytestmark = pytest.mark.skipif(CADDY is None, reason="caddy is not installed")


def _wait_port(port, proc, what):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(f"{what} exited: {proc.stderr.read() if proc.stderr else ''}") from None
            time.sleep(0.2)
    raise AssertionError(f"{what} did not start")


def _stop(proc):
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


def _stack(tmp: Path, caddyfile: str, **env_extra):
    """gunicorn (production settings) + caddy with ``caddyfile`` pointed at it; yields (http_port, https_port)."""
    web, http_port, https_port, admin = _free_port(), _free_port(), _free_port(), _free_port()
    env = _production_env(tmp, GUNICORN_BIND=f"127.0.0.1:{web}", GUNICORN_WORKERS="1", READOUT_HOST=HOST, **env_extra)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    text = (REPO / "deploy" / caddyfile).read_text().replace("web:8000", f"127.0.0.1:{web}")
    text = text.replace(
        "admin localhost:2019",
        f"admin localhost:{admin}\n\thttp_port {http_port}\n\t"
        f"https_port {https_port}\n\tskip_install_trust\n\tstorage file_system {tmp / 'caddy'}",
    )
    text = text.replace(":80 {", f":{http_port} {{")
    (tmp / "Caddyfile").write_text(text)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    web_proc = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_port(web, web_proc, "gunicorn")  # as compose starts caddy once web is healthy
    caddy_env = {**env, "HOME": str(tmp), "XDG_DATA_HOME": str(tmp / "data"), "XDG_CONFIG_HOME": str(tmp / "cfg")}
    caddy = subprocess.Popen(
        [CADDY, "run", "--config", str(tmp / "Caddyfile"), "--adapter", "caddyfile"],
        cwd=tmp,
        env=caddy_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_port(http_port, caddy, "caddy")
        yield http_port, https_port
    finally:
        _stop(caddy)
        _stop(web_proc)


def _curl(*args):
    done = subprocess.run(["curl", "-sS", "--max-time", "20", *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _login_over(base: str, resolve: list[str], jar: Path) -> str:
    page = _curl("-k", *resolve, "-c", str(jar), "-b", str(jar), "-i", f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page[:1500]
    token = token.group(1)
    return _curl(
        "-k",
        *resolve,
        "-c",
        str(jar),
        "-b",
        str(jar),
        "-D",
        "-",
        "-o",
        "/dev/null",
        "-H",
        f"Origin: {base}",
        "-H",
        f"Referer: {base}/accounts/login/",
        "--data-urlencode",
        f"csrfmiddlewaretoken={token}",
        "--data-urlencode",
        "username=analyst",
        "--data-urlencode",
        "password=analyst-demo-pass",
        f"{base}/accounts/login/",
    )


@pytest.fixture(scope="module")
def tls_stack(tmp_path_factory):
    yield from _stack(tmp_path_factory.mktemp("tls"), "Caddyfile", LOGIN_IP_MAX_FAILURES="3")


def test_https_with_the_local_ca_serves_a_working_login(tls_stack, tmp_path):
    http_port, https_port = tls_stack
    resolve = ["--resolve", f"{HOST}:{https_port}:127.0.0.1", "--resolve", f"{HOST}:{http_port}:127.0.0.1"]
    base = f"https://{HOST}:{https_port}"
    headers = _login_over(base, resolve, tmp_path / "jar")
    assert headers.startswith("HTTP/2 302") or headers.startswith("HTTP/1.1 302"), headers
    assert "location: /review/queue/" in headers.lower()  # an analyst lands on My queue
    assert re.search(r"set-cookie: sessionid=[^;]+;.*secure", headers, re.I)
    page = _curl("-k", *resolve, "-b", str(tmp_path / "jar"), "-D", "-", f"{base}/articles/")
    assert "private" in page.lower() and "no-store" in page.lower() and "strict-transport-security" in page.lower()
    # the certificate is Caddy's local CA (no public CA involved)
    issuer = subprocess.run(
        ["curl", "-skv", *resolve, "-o", "/dev/null", f"{base}/healthz"], capture_output=True, text=True
    ).stderr
    assert "Caddy Local Authority" in issuer


def test_http_is_redirected_to_https_by_caddy(tls_stack):
    http_port, https_port = tls_stack
    out = _curl(
        "--resolve",
        f"{HOST}:{http_port}:127.0.0.1",
        "-D",
        "-",
        "-o",
        "/dev/null",
        f"http://{HOST}:{http_port}/accounts/login/",
    )
    assert re.search(r"^HTTP/1.1 30[18]", out) and f"https://{HOST}" in out


def test_a_client_cannot_claim_https_or_another_ip_through_caddy(tls_stack, tmp_path):
    """Caddy overwrites X-Forwarded-For/-Proto; a forged pair can't reset the login counter."""
    http_port, https_port = tls_stack
    resolve = ["--resolve", f"{HOST}:{https_port}:127.0.0.1"]
    base = f"https://{HOST}:{https_port}"
    jar = tmp_path / "jar"
    statuses = []
    for n in range(4):
        page = _curl("-k", *resolve, "-c", str(jar), "-b", str(jar), f"{base}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        statuses.append(
            _curl(
                "-k",
                *resolve,
                "-c",
                str(jar),
                "-b",
                str(jar),
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                f"Origin: {base}",
                "-H",
                f"X-Forwarded-For: 198.51.100.{n}",
                "--data-urlencode",
                f"csrfmiddlewaretoken={token}",
                "--data-urlencode",
                f"username=nobody{n}",
                "--data-urlencode",
                "password=x",
                f"{base}/accounts/login/",
            )
        )
    assert statuses == ["200", "200", "200", "429"], statuses


def test_plain_http_lan_mode_serves_a_working_login(tmp_path):
    for http_port, _ in _stack(tmp_path, "Caddyfile.http", PLAIN_HTTP="1"):
        base = f"http://{HOST}:{http_port}"
        headers = _login_over(base, ["--resolve", f"{HOST}:{http_port}:127.0.0.1"], tmp_path / "jar")
        assert headers.startswith("HTTP/1.1 302") and "location: /review/queue/" in headers.lower(), headers
        assert "strict-transport-security" not in headers.lower()
