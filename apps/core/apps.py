from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Rules every app shares and no app owns: version claims, span offsets, the HTMX error contract."""

    name = "apps.core"
    label = "core"
