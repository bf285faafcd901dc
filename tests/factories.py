"""Factories for every model the tests build. One section per app, in pathway order."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from core.roles import SYSTEM
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
    """National staff, who also open the Django admin."""

    is_national_staff = True
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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the register import does: the figures that count schools by hub area follow.
        from schools.signals import register_changed

        school = super()._create(model_class, *args, **kwargs)
        area = school.hub_override_id or school.local_authority.hub_id
        register_changed.send(sender=School, hub_ids={area} - {None})
        return school


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


# actionplans ------------------------------------------------------------------------------------
# Plans come from actionplans.services.action_plan_create on a participation; these add parts.


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Priority"

    plan = None
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n}: fluency in number facts")
    areas = factory.LazyFunction(lambda: ["fluency"])
    description = "Pupils recall facts quickly and use them flexibly."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Action"

    priority = factory.SubFactory(PriorityFactory)
    plan = factory.LazyAttribute(lambda action: action.priority.plan)
    position = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"Action {n}: daily ten-minute fluency sessions")
    owner = "Maths subject leader"
    success_criteria = "Pupils in every class take part daily."


# enrolment --------------------------------------------------------------------------------------
# Expressions of interest as the review queue sees them (already checked). The public route goes
# through enrolment.services.eoi_submit; tests of submission use that.


def _coming_academic_year():
    from enrolment.selectors import coming_start_year
    from workgroups.services import academic_year_get_or_create

    return academic_year_get_or_create(start_year=coming_start_year())


def _full_answers(eoi):
    from enrolment.eligibility import COMMITMENTS
    from workgroups.programme import PHASES

    count = PHASES[eoi.phase].lead_participants_per_school
    return {
        "lead_participants": [
            {"name": f"Lead Teacher {n}", "email": f"lead{n}.{eoi.school.urn}@school.example"}
            for n in range(1, count + 1)
        ],
        "commitments": [c.key for c in COMMITMENTS[eoi.phase]],
    }


class ExpressionOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "enrolment.ExpressionOfInterest"
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    hub = factory.LazyAttribute(lambda eoi: eoi.school.local_authority.hub)
    phase = "development"
    academic_year = factory.LazyFunction(_coming_academic_year)
    submitter_name = factory.Faker("name", locale="en_GB")
    submitter_role = "Maths subject leader"
    submitter_email = factory.Sequence(lambda n: f"submitter{n}@school.example")
    headteacher_name = factory.Faker("name", locale="en_GB")
    headteacher_email = factory.Sequence(lambda n: f"head{n}@school.example")
    lead_participants = factory.LazyAttribute(lambda eoi: _full_answers(eoi)["lead_participants"])
    commitments = factory.LazyAttribute(lambda eoi: _full_answers(eoi)["commitments"])
    priorities = "Fluency in number facts, and reasoning in Key Stage 2."
    privacy_consent = True
    status = "to_review"
    outcome = "eligible"
    reasons = factory.LazyAttribute(lambda eoi: [f"{eoi.school.name} meets every condition."])

    @factory.post_generation
    def reference(obj, create, extracted, **kwargs):
        if create:
            obj.reference = extracted or f"EOI-{obj.academic_year.start_year}-{obj.pk:05d}"
            obj.save(update_fields=["reference"])


# workgroups -------------------------------------------------------------------------------------
# Built through workgroups.services, so every object comes as the portal makes it: a work group
# with its six draft workshops, a participation with its termly visits.


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workgroups.AcademicYear"

    start_year = 2026

    @classmethod
    def _create(cls, model_class, *args, start_year, **kwargs):
        from workgroups.services import academic_year_get_or_create

        return academic_year_get_or_create(start_year=start_year)


class WorkGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workgroups.WorkGroup"

    hub = factory.SubFactory(HubFactory)
    phase = "development"
    academic_year = factory.SubFactory(AcademicYearFactory)
    code = factory.Sequence(lambda n: f"NCP26-{n:04d}")
    title = factory.LazyAttribute(lambda group: f"{group.phase.title()} work group")
    lead = factory.LazyAttribute(
        lambda group: HubStaffFactory(
            hub=group.hub,
            role=HubStaff.Role.MASTERY_SPECIALIST,
            school=SchoolFactory(local_authority=LocalAuthorityFactory(hub=group.hub)),
        )
    )
    capacity = 7
    status = "running"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from workgroups.services import work_group_create

        return work_group_create(**{"acting_user": SYSTEM, **kwargs})


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A school placed in a group, with as many lead participants as the phase asks for."""

    class Meta:
        model = "workgroups.Participation"

    work_group = factory.SubFactory(WorkGroupFactory)
    school = factory.LazyAttribute(
        lambda p: SchoolFactory(local_authority=LocalAuthorityFactory(hub=p.work_group.hub))
    )
    lead_participants = factory.LazyAttribute(
        lambda p: SchoolContactFactory.create_batch(
            p.work_group.facts.lead_participants_per_school, school=p.school
        )
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from workgroups.services import participation_place

        return participation_place(**{"acting_user": SYSTEM, **kwargs})


class WorkshopFactory(factory.django.DjangoModelFactory):
    """Workshop `number` of a group (groups come with theirs), with the given fields set."""

    class Meta:
        model = "workgroups.Workshop"

    work_group = factory.SubFactory(WorkGroupFactory)
    number = 1

    @classmethod
    def _create(cls, model_class, *args, work_group, number, **fields):
        workshop = work_group.workshops.get(number=number)
        for name, value in fields.items():
            setattr(workshop, name, value)
        if fields:
            workshop.save(update_fields=list(fields))
        return workshop
