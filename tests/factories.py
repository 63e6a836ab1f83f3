"""factory_boy factories shared by every test module."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Membership, Organization, User
from partnerships import models as pm


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.SOCIAL_ENTERPRISE
    country = "US"
    languages = "en"


class CityFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"City of Testville {n}")
    kind = Organization.Kind.CITY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MEMBER


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Partnership
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Partnership {n}")
    city = factory.SubFactory(CityFactory)
    lead = factory.SubFactory(OrganizationFactory)
    goal = "Halve the time families wait for help by 2028"
    problem_statement = "Families wait months for support they need now."
    status = pm.Partnership.Status.ACTIVE

    @factory.post_generation
    def with_lead_partner(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            pm.Partner.objects.get_or_create(
                partnership=self,
                organization=self.lead,
                # The personas' partnerships are under way: their lead said yes long ago.
                defaults={
                    "role_description": "Leads the day-to-day work.",
                    "status": pm.Partner.Status.ACCEPTED,
                },
            )


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Partner

    partnership = factory.SubFactory(PartnershipFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role_description = "Brings neighbourhood knowledge."
    status = pm.Partner.Status.ACCEPTED


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.CheckIn

    partnership = factory.SubFactory(PartnershipFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Indicator

    partnership = factory.SubFactory(PartnershipFactory)
    name = "Families supported"
    unit = "families"
    baseline = Decimal("10")
    target = Decimal("100")
    target_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    date = factory.LazyFunction(timezone.localdate)
    value = Decimal("20")
    source = "Case records"


class FinancialNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.FinancialNeed

    partnership = factory.SubFactory(PartnershipFactory)
    organization = factory.SelfAttribute("partnership.lead")
    amount = Decimal("25000")
    currency = "USD"
    period = "2027"
    purpose = "Two outreach workers for a year"


class ExperimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Experiment

    partnership = factory.SubFactory(PartnershipFactory)
    title = "Evening office hours"
    hypothesis = "More working parents come if we open in the evening."
    what_is_tried = "Open Tuesdays until 8pm for six weeks."


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.ProgressUpdate

    partnership = factory.SubFactory(PartnershipFactory)
    organization = factory.SelfAttribute("partnership.lead")
    text = "Met twenty families at the community centre."


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Participant

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)
