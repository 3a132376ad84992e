from django.urls import path

from . import views

app_name = "codebook"
urlpatterns = [
    path("", views.codebook, name="index"),
    path("<int:pk>/", views.codebook_theme, name="theme"),
]
