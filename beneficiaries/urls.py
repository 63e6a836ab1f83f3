from django.urls import path

from beneficiaries import views

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
