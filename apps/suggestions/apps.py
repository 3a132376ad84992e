from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "apps.suggestions"
    label = "suggestions"
    verbose_name = "Theme suggestions"
