from django.urls import path
from django.views.generic import RedirectView

from . import views
from .views import approvals as approval_views
from .views import plans as plan_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="my-work", permanent=False), name="home"),
    path("my-work/", views.my_work, name="my-work"),
    path("team-queue/", views.team_queue, name="team-queue"),
    path("search/", views.search, name="search"),
    path("sr/new/", views.new_service_request, name="sr-new"),
    path("sr/<str:reference>/", views.case_detail, name="case-detail"),
    path("sr/<str:reference>/do/<str:name>/", views.transition, name="sr-transition"),
    path("sr/<str:reference>/notes/", views.note_add, name="sr-note-add"),
    path("sr/<str:reference>/related/", views.link_add, name="sr-link-add"),
    path("sr/<str:reference>/plan/reasons/", plan_views.plan_reason_add, name="plan-reason-add"),
    path("sr/<str:reference>/plan/reasons/<int:reason_id>/edit/", plan_views.plan_reason_edit,
         name="plan-reason-edit"),
    path("sr/<str:reference>/plan/reasons/<int:reason_id>/remove/", plan_views.plan_reason_remove,
         name="plan-reason-remove"),
    path("sr/<str:reference>/plan/actions/", plan_views.plan_action_add, name="plan-action-add"),
    path("sr/<str:reference>/plan/actions/<int:action_id>/edit/", plan_views.plan_action_edit,
         name="plan-action-edit"),
    path("sr/<str:reference>/plan/actions/<int:action_id>/remove/", plan_views.plan_action_remove,
         name="plan-action-remove"),
    path("sr/<str:reference>/plan/actions/<int:action_id>/done/", plan_views.plan_action_done,
         name="plan-action-done"),
    path("sr/<str:reference>/plan/actions/<int:action_id>/progress/", plan_views.plan_action_progress,
         name="plan-action-progress"),
    path("sr/<str:reference>/plan/actions/<int:action_id>/child-sr/", plan_views.plan_action_child,
         name="plan-action-child"),
    path("approvals/", approval_views.approvals, name="approvals"),
]
