from django_tasks import task

from .search import search_index_catch_up

# Articles per run of the catch-up task. A run that filled a full slice queues the next one behind any task that
# waits (this one has a low priority): an import uploaded meanwhile starts after one slice, not after the whole
# catch-up of the previous import.
CATCH_UP_SLICE = 50


@task(priority=-10)
def index_articles_for_search() -> dict:
    """Fill the search documents the pre-annotated import deferred (``search_index_catch_up``), after its batch, one
    slice of ``CATCH_UP_SLICE`` articles per run."""
    indexed = search_index_catch_up(chunk=CATCH_UP_SLICE, limit=CATCH_UP_SLICE)
    if indexed == CATCH_UP_SLICE:
        index_articles_for_search.enqueue()
    return {"indexed": indexed}
