"""Factories for every model the tests build. One section per app, in pathway order."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from schools.models import Hub, HubStaff, LocalAuthority, School, SchoolContact

TEST_PASSWORD = "a-long-test-password-2026"


# accounts ---------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"primary": True, "verified": True}
            )


class StaffUserFactory(UserFactory):
    is_staff = True


# schools ----------------------------------------------------------------------------------------


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    name = factory.Sequence(lambda n: f"Hub {n} Maths Hub")
    slug = factory.Sequence(lambda n: f"hub-{n}")
    contact_email = factory.Sequence(lambda n: f"hub{n}@mathshub.example")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    code = factory.Sequence(lambda n: str(800 + n))
    name = factory.Sequence(lambda n: f"Authority {n}")
    hub = factory.SubFactory(HubFactory)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 100000 + n)
    name = factory.Sequence(lambda n: f"School {n} Primary School")
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    establishment_type = "Community school"
    establishment_type_group = "Local authority maintained schools"
    phase_of_education = "Primary"
    status = School.Status.OPEN
    statutory_low_age = 4
    statutory_high_age = 11
    street = "1 School Lane"
    town = "Townville"
    postcode = factory.Sequence(lambda n: f"AB{n % 90 + 1} {n % 9 + 1}CD")
    open_date = factory.LazyFunction(lambda: timezone.localdate().replace(year=1990))


class HubStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HubStaff

    user = factory.SubFactory(UserFactory)
    hub = factory.SubFactory(HubFactory)
    role = HubStaff.Role.MASTERY_SPECIALIST


class SchoolContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolContact

    school = factory.SubFactory(SchoolFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"contact{n}@school.example")
    role = SchoolContact.Role.LEAD_PARTICIPANT
    user = None
