"""Docker can't run here, so the compose file is checked for shape and real entry points."""

import os
import subprocess
import sys
from pathlib import Path

import yaml
from django.core.management import get_commands

REPO = Path(__file__).resolve().parents[1]


def test_compose_has_db_web_and_worker_with_real_entry_points():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"db", "web", "worker"}
    assert services["db"]["image"].startswith("postgres:17")
    web = " ".join(services["web"]["command"])
    assert "gunicorn config.wsgi:application" in web and (REPO / "config" / "wsgi.py").exists()
    assert "migrate" in web and "migrate" in get_commands()
    worker = services["worker"]["command"]
    assert worker[:2] == ["python", "manage.py"] and worker[2] in get_commands()
    assert services["worker"]["command"][2] == "db_worker"
    for name in ("web", "worker"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile and "collectstatic" in dockerfile


def test_production_settings_refuse_a_missing_secret_key_and_pass_check_deploy():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": ""}
    bad = subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "SECRET_KEY" in bad.stderr
    env.update(SECRET_KEY="x" * 20 + "a-real-looking-random-secret-0123456789", ALLOWED_HOSTS="readout.example.org")
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    ok = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
