import pytest
from django.core.management import CommandError, call_command

from apps.assignments.models import Assignment, AssignmentEvent
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_assign_articles_gives_every_article_to_each_analyst_once(analyst, other_analyst, capsys):
    articles = [ArticleFactory(), ArticleFactory()]
    call_command("assign_articles", "--to", "ana", "bob")
    assert "4 new assignments" in capsys.readouterr().out
    assert Assignment.objects.count() == 4 and AssignmentEvent.objects.count() == 4
    call_command("assign_articles", "--to", "ana", "bob")
    assert Assignment.objects.count() == 4
    ArticleFactory()
    call_command("assign_articles", "--to", "ana", "--unassigned")
    assert Assignment.objects.filter(analyst=analyst).count() == 3
    assert {a.article_id for a in Assignment.objects.filter(analyst=other_analyst)} == {a.pk for a in articles}


def test_assign_articles_names_an_unknown_user(analyst):
    with pytest.raises(CommandError, match="No such user: nobody"):
        call_command("assign_articles", "--to", "ana", "nobody")
