from django.urls import path

from beneficiaries import plan_views, views

app_name = "beneficiaries"

# Mounted under /partnerships/, next to the partnership's own pages.
urlpatterns = [
    path("<int:pk>/people/", views.people, name="people"),
    path(
        "<int:pk>/people/invitations/<int:invitation_pk>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<int:pk>/people/print/", views.invitation_print, name="invitation_print"),
    path(
        "<int:pk>/people/invitations/<int:invitation_pk>/printable/",
        views.invitation_printable,
        name="invitation_printable",
    ),
    path(
        "<int:pk>/people/<int:participant_pk>/sign-in-code/",
        views.sign_in_code_print,
        name="sign_in_code_print",
    ),
    path("join/", views.join, name="join"),
    path("join/welcome/", views.join_welcome, name="join_welcome"),
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # The plan in plain words and what people say about it.
    path("<int:pk>/plan/read/", plan_views.plan, name="plan"),
    path("<int:pk>/plan/read/v<int:number>/", plan_views.plan_version, name="plan_version"),
    path("<int:pk>/plan/read/v<int:number>/print/", plan_views.plan_print, name="plan_print"),
    path("<int:pk>/plan/sections/<int:section_pk>/", plan_views.section, name="section"),
    path("<int:pk>/comments/mine/", plan_views.my_comments, name="my_comments"),
    path(
        "<int:pk>/comments/<int:comment_pk>/reply/", plan_views.comment_reply, name="comment_reply"
    ),
    path("<int:pk>/comments/<int:comment_pk>/edit/", plan_views.comment_edit, name="comment_edit"),
    path(
        "<int:pk>/comments/<int:comment_pk>/report/",
        plan_views.comment_report,
        name="comment_report",
    ),
    path(
        "<int:pk>/comments/<int:comment_pk>/moderate/",
        plan_views.comment_moderate,
        name="comment_moderate",
    ),
    path(
        "<int:pk>/comments/<int:comment_pk>/answer/",
        plan_views.comment_answer,
        name="comment_answer",
    ),
    path("<int:pk>/voices/record/", plan_views.voice_record, name="voice_record"),
    path("<int:pk>/moderation/", plan_views.moderation, name="moderation"),
    path(
        "<int:pk>/checkins/<int:checkin_pk>/beneficiaries/",
        plan_views.checkin_attendance,
        name="checkin_attendance",
    ),
    # The person's own: consent, their data, leaving.
    path("me/consent/", views.consent, name="consent"),
    path("me/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/download/", views.data_export, name="data_export"),
    path("me/delete/", views.account_delete, name="account_delete"),
    # Trainings of a partnership.
    path("<int:pk>/trainings/", views.trainings, name="trainings"),
    path("<int:pk>/trainings/new/", views.training_schedule, name="training_schedule"),
    path("<int:pk>/trainings/<int:training_pk>/", views.training_detail, name="training_detail"),
    path(
        "<int:pk>/trainings/<int:training_pk>/sign-up/",
        views.training_signup,
        name="training_signup",
    ),
    path(
        "<int:pk>/trainings/<int:training_pk>/cancel/",
        views.training_cancel,
        name="training_cancel",
    ),
    path(
        "<int:pk>/trainings/<int:training_pk>/attendance/",
        views.training_attendance,
        name="training_attendance",
    ),
]
