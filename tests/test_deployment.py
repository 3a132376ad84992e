"""Docker can't run here, so the compose file is checked for shape and real entry points."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from django.db.utils import OperationalError

REPO = Path(__file__).resolve().parents[1]


def _compose():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_compose_has_db_web_and_worker_with_real_entry_points():
    services = _compose()["services"]
    assert set(services) >= {"db", "web", "worker", "redis", "caddy"}
    assert services["db"]["image"].startswith("postgres:17")
    web = " ".join(services["web"]["command"])
    assert "gunicorn -c config/gunicorn.conf.py config.wsgi:application" in web
    assert (REPO / "config" / "wsgi.py").exists() and (REPO / "config" / "gunicorn.conf.py").exists()
    assert "migrate" in web and "migrate" in get_commands()
    worker = " ".join(services["worker"]["command"])
    # batches a dead worker left are queued again, then db_worker that reconnects instead of exiting
    assert "manage.py resume_imports && exec python manage.py run_worker" in worker
    assert {"resume_imports", "run_worker"} <= set(get_commands())
    for name in ("web", "worker"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")  # the shared cache for login throttling
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile and "collectstatic" in dockerfile
    assert "config/gunicorn.conf.py" in dockerfile


def test_every_compose_service_restarts_and_has_a_health_check():
    for name, service in _compose()["services"].items():
        assert service.get("restart") == "unless-stopped", name
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), name


def test_only_the_proxy_is_published_and_only_it_is_trusted():
    compose = _compose()
    services = compose["services"]
    assert [name for name, s in services.items() if s.get("ports")] == ["caddy"]
    caddy_ip = services["caddy"]["networks"]["readout"]["ipv4_address"]
    subnet = compose["networks"]["readout"]["ipam"]["config"][0]["subnet"]
    import ipaddress

    assert ipaddress.ip_address(caddy_ip) in ipaddress.ip_network(subnet)
    for name in ("web", "worker"):
        assert services[name]["environment"]["TRUSTED_PROXIES"] == caddy_ip
    for name, service in services.items():
        assert service.get("networks") in (["readout"], {"readout": {"ipv4_address": caddy_ip}}), name


def test_caddy_terminates_tls_with_a_local_ca_or_serves_the_documented_lan_http_mode():
    services = _compose()["services"]
    mount = services["caddy"]["volumes"][0]
    assert mount == "./deploy/${READOUT_CADDYFILE:-Caddyfile}:/etc/caddy/Caddyfile:ro"
    tls = (REPO / "deploy" / "Caddyfile").read_text()
    assert "tls internal" in tls and "reverse_proxy web:8000" in tls and "{$READOUT_HOST:localhost}" in tls
    lan = (REPO / "deploy" / "Caddyfile.http").read_text()
    assert ":80 {" in lan and "reverse_proxy web:8000" in lan and "tls" not in lan.replace("TLS", "")
    assert services["web"]["environment"]["PLAIN_HTTP"] == "${PLAIN_HTTP:-0}"
    example = (REPO / ".env.example").read_text()
    assert "READOUT_CADDYFILE=Caddyfile.http" in example and "PLAIN_HTTP=1" in example
    readme = (REPO / "README.md").read_text()
    assert "## Deployment" in readme and "PLAIN_HTTP=1" in readme


def test_gunicorn_timeouts_follow_the_page_budget():
    conf = {}
    exec((REPO / "config" / "gunicorn.conf.py").read_text(), conf)  # noqa: S102 - our own config file
    assert 30 < conf["timeout"] <= 120 and conf["graceful_timeout"] <= conf["timeout"]
    assert conf["max_requests"] > 0 and conf["forwarded_allow_ips"]


def test_plain_http_mode_has_no_https_redirect_or_secure_only_cookies(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "PLAIN_HTTP": "1",
        "SECRET_KEY": "x" * 20 + "a-real-looking-random-secret-0123456789",
        "ALLOWED_HOSTS": "readout.lan",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    script = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.stdout.split() == ["False", "False", "0"], done.stderr


def test_production_settings_refuse_a_missing_secret_key_and_pass_check_deploy():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": ""}
    bad = subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "SECRET_KEY" in bad.stderr
    env.update(SECRET_KEY="x" * 20 + "a-real-looking-random-secret-0123456789", ALLOWED_HOSTS="readout.example.org")
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    ok = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr


# --- the task worker survives database trouble ---------------------------------------------------------------


def _worker(cls, **overrides):
    options = dict(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    options.update(overrides)
    return cls(**options)


class _DatabaseGoesAway:
    """An execute wrapper: the next ``n`` queries fail as when PostgreSQL restarts or kills the connection."""

    def __init__(self, n):
        self.left = n

    def __call__(self, execute, sql, params, many, context):
        if self.left > 0:
            self.left -= 1
            from django.db.utils import OperationalError

            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_db_worker_as_shipped_exits_on_a_dropped_connection(db_tasks):
    """The 'before': django-tasks-db's worker lets the error out and the process ends."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    from config.tasks import ping

    ping.enqueue(1)
    with connection.execute_wrapper(_DatabaseGoesAway(1)), pytest.raises(OperationalError):
        _worker(Worker).run()


@pytest.mark.django_db(transaction=True)
def test_run_worker_reconnects_with_backoff_and_then_runs_the_task(db_tasks):
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from config.management.commands.run_worker import ResilientWorker
    from config.tasks import ping

    result = ping.enqueue(41)
    waits = []
    worker = _worker(ResilientWorker, sleep=waits.append)
    with connection.execute_wrapper(_DatabaseGoesAway(4)):
        worker.run()
    assert worker.reconnects == 4
    assert len(waits) == 4 and max(waits) <= 30 and waits[-1] > waits[0]  # jittered exponential, capped
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL" and row.return_value == 42


def test_compose_runs_the_reconnecting_worker():
    from django_tasks_db.management.commands.db_worker import Command as DbWorker

    from config.management.commands.run_worker import Command

    assert issubclass(Command, DbWorker)
    assert "run_worker" in get_commands()


def _wait_for(predicate, timeout, what):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _status(result_id):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.get(id=result_id).status


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("command", ["db_worker", "run_worker"])
def test_worker_process_through_a_real_postgresql_outage(db_tasks, command):
    """A worker process on PostgreSQL; its connection is killed and the database refuses connections for a few
    seconds (as in a restart). ``db_worker`` as shipped exits; ``run_worker`` waits and then takes new tasks."""
    import time

    import psycopg
    from django.db import connection

    from config.tasks import ping

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs the suite on it)")
    cfg = connection.settings_dict
    auth = cfg["USER"] + (f":{cfg['PASSWORD']}" if cfg["PASSWORD"] else "")
    app_name = f"readout-test-{command}"
    url = f"postgres://{auth}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}?application_name={app_name}"
    env = {**os.environ, "DATABASE_URL": url, "CONN_MAX_AGE": "60", "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    admin = psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    proc = subprocess.Popen(
        [sys.executable, "manage.py", command, "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = ping.enqueue(1)
        _wait_for(lambda: _status(first.id) == "SUCCESSFUL", 60, "the first task")
        admin.execute(f'ALTER DATABASE "{cfg["NAME"]}" WITH ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", [app_name])
        time.sleep(3)
        if command == "db_worker":
            _wait_for(lambda: proc.poll() is not None, 20, "db_worker to exit")
            assert proc.returncode != 0
            return
        assert proc.poll() is None, proc.stdout.read()
        admin.execute(f'ALTER DATABASE "{cfg["NAME"]}" WITH ALLOW_CONNECTIONS true')
        second = ping.enqueue(2)
        _wait_for(lambda: _status(second.id) == "SUCCESSFUL", 45, "the task after the outage")
        assert proc.poll() is None
    finally:
        admin.execute(f'ALTER DATABASE "{cfg["NAME"]}" WITH ALLOW_CONNECTIONS true')
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        admin.close()
