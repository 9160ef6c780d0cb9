from django.urls import path

from . import approvals, views

urlpatterns = [
    path("sr/<str:reference>/plan/reasons/", views.plan_reason_add, name="plan-reason-add"),
    path("sr/<str:reference>/plan/reasons/<int:reason_id>/edit/", views.plan_reason_edit, name="plan-reason-edit"),
    path("sr/<str:reference>/plan/reasons/<int:reason_id>/remove/", views.plan_reason_remove,
         name="plan-reason-remove"),
    path("sr/<str:reference>/plan/actions/", views.plan_action_add, name="plan-action-add"),
    path("sr/<str:reference>/plan/actions/<int:action_id>/edit/", views.plan_action_edit, name="plan-action-edit"),
    path("sr/<str:reference>/plan/actions/<int:action_id>/remove/", views.plan_action_remove,
         name="plan-action-remove"),
    path("sr/<str:reference>/plan/actions/<int:action_id>/done/", views.plan_action_done, name="plan-action-done"),
    path("sr/<str:reference>/plan/actions/<int:action_id>/progress/", views.plan_action_progress,
         name="plan-action-progress"),
    path("sr/<str:reference>/plan/actions/<int:action_id>/child-sr/", views.plan_action_child,
         name="plan-action-child"),
    path("approvals/", approvals.approvals, name="approvals"),
]
