from django.apps import AppConfig


class NlpConfig(AppConfig):
    name = "apps.nlp"
    label = "nlp"
