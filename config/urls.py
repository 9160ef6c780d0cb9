from django.contrib import admin
from django.urls import include, path

from .views import favicon

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("letters/", include("letters.urls")),
    path("deadlines/", include("sla.urls")),
    path("ice/", include("ice.urls")),
    path("", include("complaints.urls")),
]
