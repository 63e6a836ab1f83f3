from django.urls import path

from partnerships.views import invitations, manage, pages, portfolio

app_name = "partnerships"

urlpatterns = [
    # Portfolio (city staff) and the entrepreneur's home.
    path("", portfolio.dashboard, name="dashboard"),
    path("portfolio.csv", portfolio.portfolio_export, name="portfolio_export"),
    path("mine/", portfolio.my_partnerships, name="my"),
    # Invitations into a partnership, answered by the invited organization's administrators.
    path("invitations/<int:partner_pk>/", invitations.invitation, name="invitation"),
    path(
        "invitations/<int:partner_pk>/accept/",
        invitations.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<int:partner_pk>/decline/",
        invitations.invitation_decline,
        name="invitation_decline",
    ),
    path(
        "organizations/<int:org_pk>/invitations/",
        invitations.organization_invitations,
        name="organization_invitations",
    ),
    # The organization picker's search results (a fragment), for city staff.
    path("organizations/search/", manage.organization_search, name="organization_search"),
    # The partnership page, one URL per section.
    path("<int:pk>/", pages.overview, name="detail"),
    path("<int:pk>/plan/", pages.plan, name="plan"),
    path("<int:pk>/plan/v<int:number>/", pages.plan_version, name="plan_version"),
    path("<int:pk>/checkins/", pages.checkins, name="checkins"),
    path("<int:pk>/checkins/<int:checkin_pk>/record/", pages.checkin_record, name="checkin_record"),
    path("<int:pk>/progress/", pages.progress, name="progress"),
    path("<int:pk>/progress/new/", pages.progress_log, name="progress_log"),
    path("<int:pk>/evidence/", pages.evidence, name="evidence"),
    path(
        "<int:pk>/evidence/<int:indicator_pk>/measurements/new/",
        pages.measurement_add,
        name="measurement_add",
    ),
    path(
        "<int:pk>/evidence/measurements.csv", pages.measurements_export, name="measurements_export"
    ),
    path("<int:pk>/experiments/", pages.experiments, name="experiments"),
    path("<int:pk>/money/", pages.money, name="money"),
    path("<int:pk>/money/new/", pages.need_state, name="need_state"),
    path("<int:pk>/timeline/", pages.timeline, name="timeline"),
    # Managing a partnership: separate pages with plain forms.
    path("new/", manage.partnership_create, name="create"),
    path("<int:pk>/edit/", manage.partnership_edit, name="edit"),
    path("<int:pk>/reframe/", manage.reframe, name="reframe"),
    path("<int:pk>/stage/", manage.stage_move, name="stage_move"),
    path("<int:pk>/partners/add/", manage.partner_add, name="partner_add"),
    path("<int:pk>/partners/<int:partner_pk>/edit/", manage.partner_edit, name="partner_edit"),
    path(
        "<int:pk>/partners/<int:partner_pk>/remove/", manage.partner_remove, name="partner_remove"
    ),
    path("<int:pk>/responsibilities/new/", manage.responsibility_add, name="responsibility_add"),
    path(
        "<int:pk>/responsibilities/<int:responsibility_pk>/edit/",
        manage.responsibility_edit,
        name="responsibility_edit",
    ),
    path("<int:pk>/plan/publish/", manage.plan_publish, name="plan_publish"),
    path("<int:pk>/checkins/schedule/", manage.checkin_schedule, name="checkin_schedule"),
    path("<int:pk>/checkins/<int:checkin_pk>/move/", manage.checkin_move, name="checkin_move"),
    path("<int:pk>/evidence/indicators/new/", manage.indicator_create, name="indicator_create"),
    path("<int:pk>/experiments/new/", manage.experiment_start, name="experiment_start"),
    path(
        "<int:pk>/experiments/<int:experiment_pk>/close/",
        manage.experiment_close,
        name="experiment_close",
    ),
    path("<int:pk>/money/<int:need_pk>/edit/", manage.need_update, name="need_update"),
    path(
        "<int:pk>/evidence/indicators/<int:indicator_pk>/edit/",
        manage.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "<int:pk>/evidence/measurements/<int:measurement_pk>/correct/",
        manage.measurement_correct,
        name="measurement_correct",
    ),
    path(
        "<int:pk>/evidence/measurements/<int:measurement_pk>/withdraw/",
        manage.measurement_withdraw,
        name="measurement_withdraw",
    ),
    path(
        "<int:pk>/progress/<int:update_pk>/correct/",
        manage.progress_correct,
        name="progress_correct",
    ),
    path(
        "<int:pk>/progress/<int:update_pk>/withdraw/",
        manage.progress_withdraw,
        name="progress_withdraw",
    ),
    # Archiving and deleting: the city's administrators.
    path("<int:pk>/archive/", manage.partnership_archive, name="archive"),
    path("<int:pk>/unarchive/", manage.partnership_unarchive, name="unarchive"),
    path("<int:pk>/delete/", manage.partnership_delete, name="delete"),
]
