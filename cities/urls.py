from django.urls import path

from cities import views

app_name = "cities"

urlpatterns = [
    path("", views.city_list, name="list"),
    # Pages of no city first: a city's short name never shadows them.
    path("partnerships/", views.public_partnerships, name="public_partnerships"),
    path("introductions/", views.introductions_sent, name="introductions_sent"),
    path("offer/<slug:slug>/", views.offer_edit, name="offer"),
    path("getting-started/<slug:slug>/", views.checklist, name="checklist"),
    path("getting-started/<slug:slug>/<slug:step>/", views.checklist_item, name="checklist_item"),
    path("networks/<slug:slug>/", views.network_detail, name="network"),
    path("networks/<slug:slug>/members/", views.network_member_add, name="network_member_add"),
    path(
        "networks/<slug:slug>/members/<int:pk>/remove/",
        views.network_member_remove,
        name="network_member_remove",
    ),
    # A city's pages.
    path("<slug:slug>/", views.city_detail, name="city"),
    path("<slug:slug>/statement/<int:number>/", views.statement_version, name="statement_version"),
    path("<slug:slug>/contact/", views.contact_edit, name="contact"),
    path("<slug:slug>/introduce/", views.introduce, name="introduce"),
    path("<slug:slug>/inbox/", views.inbox, name="inbox"),
    path("<slug:slug>/inbox/<int:pk>/", views.introduction_detail, name="introduction"),
    path(
        "<slug:slug>/inbox/<int:pk>/status/",
        views.introduction_status,
        name="introduction_status",
    ),
    path("<slug:slug>/inbox/<int:pk>/note/", views.introduction_note, name="introduction_note"),
    path("<slug:slug>/inbox/<int:pk>/open/", views.introduction_open, name="introduction_open"),
    path("<slug:slug>/experiences/", views.experiences, name="experiences"),
    path("<slug:slug>/experiences/<int:pk>/", views.experience_edit, name="experience_edit"),
    path("<slug:slug>/statement/draft/", views.statement_draft, name="statement_draft"),
    path(
        "<slug:slug>/statement/draft/<slug:key>/",
        views.statement_section,
        name="statement_section",
    ),
    path(
        "<slug:slug>/statement/draft/<slug:key>/comment/",
        views.statement_comment,
        name="statement_comment",
    ),
    path("<slug:slug>/statement/invite/", views.statement_invite, name="statement_invite"),
    path("<slug:slug>/statement/endorse/", views.statement_endorse, name="statement_endorse"),
    path("<slug:slug>/statement/publish/", views.statement_publish, name="statement_publish"),
    path("<slug:slug>/stories/new/", views.story_add, name="story_add"),
]
