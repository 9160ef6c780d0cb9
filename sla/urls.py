from django.urls import path

from . import views

app_name = "sla"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("list/", views.clock_list, name="clock-list"),
    path("dg-caselist/", views.dg_caselist, name="dg-caselist"),
    path("mi/", views.mi_export, name="mi"),
    path("tasks/<int:pk>/done/", views.task_done, name="task-done"),
    path("clocks/<int:pk>/extend/", views.extend_clock_view, name="extend-clock"),
]
