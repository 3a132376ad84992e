"""Training never runs in a request: with the production task backend (django-tasks-db) a request only queues a
version, and the worker fits it; both on demand (the themes page) and after every K decisions (the panel)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.assignments.models import Assignment
from apps.suggestions import services
from apps.suggestions.models import SuggesterModel, Suggestion
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued_training_tasks():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path="apps.suggestions.tasks.train_suggester", status="READY"))


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_train_now_queues_a_version_that_only_the_worker_fits(db_tasks, coded_corpus, client_for, supervisor):
    client = client_for(supervisor)
    response = client.post(reverse("suggestions:themes"), {"action": "train"})
    assert response.status_code == 302
    model = SuggesterModel.objects.get()
    assert (model.status, model.blob, model.trained_at) == ("queued", None, None)  # the request fitted nothing
    assert model.reason == f"on demand by {supervisor.username}" and model.requested_by == supervisor
    [task] = _queued_training_tasks()
    assert task.args_kwargs["kwargs"] == {"model_id": model.pk}
    client.post(reverse("suggestions:themes"), {"action": "train"})  # a second click joins the queued run
    assert SuggesterModel.objects.count() == 1 and len(_queued_training_tasks()) == 1
    assert "Version 1 is queued" in client.get(reverse("suggestions:themes")).content.decode()

    _run_worker()
    model.refresh_from_db()
    assert model.status == "ready" and model.blob and model.n_examples > 100 and model.train_seconds is not None
    assert _queued_training_tasks() == []


def test_every_k_decisions_in_the_panel_queue_training_and_new_suggestions_carry_the_new_version(
    db_tasks, coded_corpus, client_for, analyst, monkeypatch
):
    monkeypatch.setattr(services, "RETRAIN_EVERY", 2)
    article = ArticleFactory(
        text="Washington imposed new tariffs on Chinese steel.\nTaiwan was raised at the talks.\n"
        "The BRICS leaders met in Kazan and pledged to expand cooperation within the SCO and BRICS."
    )
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    client = client_for(analyst)
    client.get(reverse("suggestions:panel", args=[article.pk]))
    first = list(Suggestion.objects.filter(article=article))
    assert len(first) >= 3 and {s.model_version for s in first} == {0}  # no model yet: the codebook
    url = reverse("suggestions:decide", args=[article.pk])
    client.post(url, {"suggestion": first[0].pk, "action": "reject"}, HTTP_HX_REQUEST="true")
    assert not SuggesterModel.objects.exists()
    client.post(url, {"suggestion": first[1].pk, "action": "reject"}, HTTP_HX_REQUEST="true")
    model = SuggesterModel.objects.get()
    assert model.status == "queued" and model.reason == "after 2 new decisions" and len(_queued_training_tasks()) == 1

    _run_worker()
    model.refresh_from_db()
    assert model.status == "ready"
    client.get(reverse("suggestions:panel", args=[article.pk]))
    fresh = Suggestion.objects.filter(article=article, status="open")
    assert fresh.exists() and {(s.model_id, s.model_version) for s in fresh} == {(model.pk, model.version)}
    # the decided ones keep the version they were made by
    assert set(Suggestion.objects.exclude(status="open").values_list("model_version", flat=True)) == {0}
