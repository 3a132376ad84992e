from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "apps.ingest"
    label = "ingest"

    def ready(self):
        from django_tasks.signals import task_enqueued

        from .tasks import wake_workers

        task_enqueued.connect(wake_workers, dispatch_uid="ingest-wake-workers")
