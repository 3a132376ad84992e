"""Background work of the suggestions app (django-tasks; the db worker runs it, tests the immediate backend)."""

from django_tasks import task

from . import services


@task()
def train_suggester(*, model_id: int) -> int:
    """Fit the queued suggester version ``model_id``; returns its version."""
    return services.suggester_train(model_id=model_id).version
