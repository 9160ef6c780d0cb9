from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("letters/", include("letters.urls")),
    path("deadlines/", include("sla.urls")),
    path("", include("complaints.urls")),
]
