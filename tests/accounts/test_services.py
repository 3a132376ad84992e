import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.accounts.roles import is_admin, is_supervisor
from apps.annotations.models import Theme

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_user_per_role_and_the_themes(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username in ("analyst", "supervisor", "admin"):
        assert username in out
        user = User.objects.get(username=username)
        assert user.check_password(f"{username}-demo-pass")
    assert is_supervisor(User.objects.get(username="supervisor"))
    assert not is_supervisor(User.objects.get(username="analyst"))
    assert is_admin(User.objects.get(username="admin"))
    assert Theme.objects.count() == 12
    assert Theme.objects.filter(name="multipolarity", shortcut="1").exists()


def test_seed_demo_can_run_twice():
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.filter(username="analyst").count() == 1
