"""The session's user comes with their roles: role checks on a page cost no query of their own."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from apps.accounts.backends import NormalizedUsernameBackend
from apps.accounts.roles import ADMIN, SUPERVISOR, is_admin, is_analyst, is_supervisor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_session_user_carries_the_roles_of_their_groups(supervisor, admin_user, django_assert_num_queries):
    with django_assert_num_queries(1):  # the user with the names of their groups
        user = NormalizedUsernameBackend().get_user(supervisor.pk)
        assert is_supervisor(user) and is_analyst(user) and not is_admin(user)
    assert NormalizedUsernameBackend().get_user(admin_user.pk)._readout_roles == {ADMIN}  # a superuser is an admin


def test_roles_are_read_fresh_for_each_request(client_for, analyst):
    client = client_for(analyst)
    assert client.get(reverse("annotations:theme_list")).status_code == 403
    analyst.groups.add(Group.objects.get(name=SUPERVISOR))  # promoted meanwhile: the next request knows it
    assert client.get(reverse("annotations:theme_list")).status_code == 200


def test_an_inactive_or_unknown_user_has_no_session_user(db):
    gone = UserFactory(username="gone", role="Analyst", is_active=False)
    assert NormalizedUsernameBackend().get_user(gone.pk) is None
    assert NormalizedUsernameBackend().get_user(gone.pk + 1000) is None


def test_a_user_without_groups_has_no_role(db):
    user = NormalizedUsernameBackend().get_user(UserFactory(username="plain").pk)
    assert user is not None and not is_analyst(user)
