"""After a batch of writes, queue one summaries refresh (debounced in ``summaries_request_refresh``).

A batch ends when work on an article is submitted or approved (the review decisions on its spans come before the
approval). Single span edits and imports don't queue anything here (an import's own tests count its commit
callbacks): the first insights page view after them notices the changed fingerprint, computes live and queues the
refresh itself; ``manage.py refresh_insights`` does it at once.
"""

from __future__ import annotations

from django.db import transaction


def _queue_refresh() -> None:
    from .summaries import summaries_request_refresh

    summaries_request_refresh()


def on_assignment_event_saved(sender, instance, created, **kwargs) -> None:
    if created and instance.to_state in ("submitted", "approved"):
        transaction.on_commit(_queue_refresh)
