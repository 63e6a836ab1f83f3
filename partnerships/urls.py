from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mine/", views.my_partnerships, name="my"),
    path("<int:pk>/", views.detail, name="detail"),
]
