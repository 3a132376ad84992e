from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import UserFactory

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "fixtures" / "seeds").glob("*.txt"))
SHARED = REPO.parent / "shared"
ARTIFACTS = REPO / "test-artifacts"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_CHILD_PROCESS = False  # a child process would not see the test's transaction


@pytest.fixture
def themes(db):
    call_command("loaddata", "themes", verbosity=0)
    from apps.annotations.models import Theme

    return list(Theme.objects.all())


@pytest.fixture
def analyst(db):
    return UserFactory(username="ana", role="Analyst")


@pytest.fixture
def other_analyst(db):
    return UserFactory(username="bob", role="Analyst")


@pytest.fixture
def supervisor(db):
    return UserFactory(username="sue", role="Supervisor")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", role="Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def seed_articles(db):
    """The two seed files imported through the real import service (spaCy included)."""
    from apps.corpus.models import Article
    from apps.ingest.models import ImportBatch
    from apps.ingest.services import import_sources, local_sources

    batch = ImportBatch.objects.create()
    import_sources(batch=batch, sources=local_sources(SEEDS))
    return list(Article.objects.order_by("id"))


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's million rounds cost ~0.4 s per test user; tests don't need slow hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
