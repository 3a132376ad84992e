from django.urls import path

from . import views

app_name = "suggestions"
urlpatterns = [
    path("article/<int:article_id>/", views.article_page, name="article"),
    path("article/<int:article_id>/panel/", views.panel, name="panel"),
    path("article/<int:article_id>/decide/", views.decide, name="decide"),
    path("article/<int:article_id>/layer/", views.layer, name="layer"),
    path("themes/", views.themes, name="themes"),
]
