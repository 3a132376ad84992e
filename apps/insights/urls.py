from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("themes/", views.themes, name="themes"),
    path("themes/compare/", views.compare, name="compare"),
    path("spans/", views.spans, name="spans"),
    path("speakers/", views.speakers, name="speakers"),
    path("quotes/", views.quotes, name="quotes"),
    path("statements/", views.statements, name="statements"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("reliability/", views.reliability, name="reliability"),
]
