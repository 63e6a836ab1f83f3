from django.urls import path

from playbook import views

app_name = "playbook"

urlpatterns = [
    path("", views.practice_list, name="practices"),
    path("pathways/", views.pathway_list, name="pathways"),
    path("pathways/<slug:slug>/", views.pathway_detail, name="pathway_detail"),
    path("stories/", views.story_list, name="stories"),
    path("stories/<slug:slug>/", views.story_detail, name="story_detail"),
]
