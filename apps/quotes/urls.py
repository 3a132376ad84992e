from django.urls import path

from . import views

app_name = "quotes"
urlpatterns = [
    path("article/<int:article_id>/panel/", views.panel, name="panel"),
    path("article/<int:article_id>/create/", views.quote_create, name="quote_create"),
    path("<int:pk>/confirm/", views.quote_confirm, name="quote_confirm"),
    path("<int:pk>/unconfirm/", views.quote_unconfirm, name="quote_unconfirm"),
    path("<int:pk>/span/", views.quote_span, name="quote_span"),
    path("<int:pk>/speaker/", views.quote_speaker, name="quote_speaker"),
    path("<int:pk>/delete/", views.quote_delete, name="quote_delete"),
    path("<int:pk>/restore/", views.quote_restore, name="quote_restore"),
    path("<int:pk>/history/", views.quote_history, name="quote_history"),
    path("<int:pk>/edit/", views.quote_edit, name="quote_edit"),
    path("speakers/", views.speaker_list, name="speaker_list"),
    path("speakers/autocomplete/", views.speaker_autocomplete, name="speaker_autocomplete"),
    path("speakers/<int:pk>/", views.speaker_detail, name="speaker_detail"),
    path("speakers/<int:pk>/edit/", views.speaker_edit, name="speaker_edit"),
    path("speakers/<int:pk>/merge/", views.speaker_merge, name="speaker_merge"),
    path("speakers/<int:pk>/split/", views.speaker_split, name="speaker_split"),
    path("speakers/<int:pk>/delete/", views.speaker_delete, name="speaker_delete"),
    path("speakers/<int:pk>/aliases/", views.speaker_alias_add, name="speaker_alias_add"),
    path("speakers/<int:pk>/aliases/<int:alias_id>/delete/", views.speaker_alias_remove, name="speaker_alias_remove"),
]
