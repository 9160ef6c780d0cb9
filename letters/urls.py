from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("sr/<str:reference>/send/", views.send, name="send"),
    path("sr/<str:reference>/preview/", views.preview, name="preview"),
    path("<int:pk>/", views.issued, name="issued"),
    path("<int:pk>/download/", views.download, name="download"),
]
