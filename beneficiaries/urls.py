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
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
