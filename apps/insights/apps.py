from django.apps import AppConfig
from django.db.models.signals import post_save


class InsightsConfig(AppConfig):
    name = "apps.insights"
    label = "insights"
    verbose_name = "Insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        post_save.connect(
            signals.on_assignment_event_saved,
            sender="assignments.AssignmentEvent",
            dispatch_uid="insights_refresh_after_submission",
        )
