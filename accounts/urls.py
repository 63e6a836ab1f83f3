from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.organization_list, name="organizations"),
    path("new/", views.organization_create, name="organization_create"),
    path("profile/", views.profile, name="profile"),
    path("review/", views.organization_review, name="organization_review"),
    path("<int:pk>/approve/", views.organization_approve, name="organization_approve"),
    path("<int:pk>/decline/", views.organization_decline, name="organization_decline"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("<int:pk>/two-factor/", views.organization_mfa, name="organization_mfa"),
    path("<int:pk>/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "<int:pk>/members/<int:membership_pk>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "<int:pk>/members/<int:membership_pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
]
