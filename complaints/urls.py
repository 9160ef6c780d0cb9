from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("my-work/", views.my_work, name="my-work"),
    path("team-queue/", views.team_queue, name="team-queue"),
    path("search/", views.search, name="search"),
    path("sr/new/", views.new_service_request, name="sr-new"),
    path("sr/<str:reference>/", views.case_detail, name="case-detail"),
    path("sr/<str:reference>/do/<str:name>/", views.transition, name="sr-transition"),
    path("sr/<str:reference>/notes/", views.note_add, name="sr-note-add"),
    path("sr/<str:reference>/related/", views.link_add, name="sr-link-add"),
    path("", include("complaints.plans.urls")),
]
