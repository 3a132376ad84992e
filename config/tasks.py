"""A no-op task: proves a worker is taking tasks (used by the deployment tests; handy for ops checks)."""

from django_tasks import task


@task()
def ping(value: int = 0) -> int:
    return value + 1
