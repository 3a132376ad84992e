"""`make run`'s seed step may run on every start: it adds what is missing and never undoes a person's work."""

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.annotations.models import Theme
from apps.assignments.models import Assignment
from apps.corpus.models import Article
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db


def _seed_step():
    """What `make seed` runs, in order."""
    call_command("seed_demo", verbosity=0)
    call_command("import_articles", *map(str, SEEDS), "--no-progress", verbosity=0)
    call_command("assign_articles", "--to", "analyst", "analyst2", "--unassigned", "--if-never-assigned")


def test_restarting_the_seed_step_keeps_passwords_themes_and_the_open_pool():
    _seed_step()
    assert Assignment.objects.count() == 2 * Article.objects.count() == 10
    # people change things
    analyst = User.objects.get(username="analyst")
    analyst.set_password("my-own-secret")
    analyst.first_name = "Anna"
    analyst.save()
    theme = Theme.objects.get(slug="multipolarity")
    theme.description, theme.colour, theme.shortcut = "Our own definition.", "#000000", "m"
    theme.save()
    pooled = Article.objects.order_by("id").first()
    Assignment.objects.filter(article=pooled).delete()  # the supervisor puts it back in the open pool
    Theme.objects.filter(slug="wwii-memory").update(active=False)

    _seed_step()

    analyst.refresh_from_db()
    assert analyst.check_password("my-own-secret") and analyst.first_name == "Anna"
    theme.refresh_from_db()
    assert (theme.description, theme.colour, theme.shortcut) == ("Our own definition.", "#000000", "m")
    assert not Theme.objects.get(slug="wwii-memory").active
    assert Theme.objects.count() == 12
    assert not Assignment.objects.filter(article=pooled).exists()
    assert Assignment.objects.count() == 8


def test_a_deleted_seed_theme_comes_back_but_an_existing_one_is_never_duplicated():
    call_command("seed_themes", verbosity=0)
    Theme.objects.filter(slug="multipolarity").delete()
    call_command("seed_themes", verbosity=0)
    assert Theme.objects.filter(slug="multipolarity").count() == 1 and Theme.objects.count() == 12
