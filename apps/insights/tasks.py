"""Background work of the insights app (django-tasks; the db worker runs it, tests the immediate backend)."""

from django_tasks import task

from . import summaries


@task()
def refresh_summaries() -> dict:
    """Rebuild the summary tables (``summaries.summaries_refresh``); returns their row counts and seconds."""
    return summaries.summaries_refresh()
