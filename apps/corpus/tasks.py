from django_tasks import task

from .search import search_index_catch_up


@task()
def index_articles_for_search() -> dict:
    """Fill the search documents the pre-annotated import deferred (``search_index_catch_up``), after its batch."""
    return {"indexed": search_index_catch_up()}
