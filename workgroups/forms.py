"""Forms check the shape of what people type; the programme's rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from schools.models import HubStaff, School, SchoolContact

from .models import AcademicYear, Attendance, Participation, WorkGroup, Workshop
from .programme import Phase, Strand


class DateInput(forms.DateInput):
    """A date picker. Its value is always ISO (2026-03-14): the browser shows it in the person's
    own format, and leaves a date in any other (the locale's 14/03/2026) empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class WorkGroupForm(forms.Form):
    phase = forms.ChoiceField(choices=Phase.choices)
    start_year = forms.TypedChoiceField(label="Academic year", coerce=int)
    code = forms.CharField(
        max_length=40,
        help_text="The national project code with the hub's suffix, e.g. NCP26-11-03.",
    )
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    lead = forms.ModelChoiceField(
        queryset=HubStaff.objects.none(),
        required=False,
        help_text="A Mastery Specialist of the hub; a Readiness Lead may lead Readiness groups.",
    )
    capacity = forms.IntegerField(
        min_value=1, max_value=30, initial=WorkGroup.DEFAULT_CAPACITY, help_text="Schools."
    )
    status = forms.ChoiceField(
        choices=[c for c in WorkGroup.Status.choices if c[0] != WorkGroup.Status.COMPLETED]
    )

    def __init__(self, *args, hub, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_year"].choices = [(y, AcademicYear.name_for(y)) for y in years]
        self.fields["lead"].queryset = (
            HubStaff.objects.filter(
                hub=hub,
                role__in=[HubStaff.Role.MASTERY_SPECIALIST, HubStaff.Role.READINESS_LEAD],
            )
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["lead"].label_from_instance = lambda staff: (
            f"{staff.user.get_full_name()} ({staff.get_role_display()})"
        )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        # The group being edited keeps its own code (its initial value).
        if code != (self.initial.get("code") or "").upper():
            taken = WorkGroup.objects.filter(code=code).select_related("academic_year").first()
            if taken is not None:
                year = taken.academic_year.start_year
                when = (
                    "this year"
                    if year == self.cleaned_data.get("start_year")
                    else f"in {AcademicYear.name_for(year)}"
                )
                raise ValidationError(
                    f"A work group with code {code} already exists {when}: choose another code."
                )
        return code


class PlaceSchoolForm(forms.Form):
    urn = forms.IntegerField(
        label="School URN",
        min_value=100000,
        max_value=999999,
        help_text="The school's six-digit unique reference number from the national register.",
    )

    def __init__(self, *args, hub, **kwargs):
        self.hub = hub
        super().__init__(*args, **kwargs)

    def clean_urn(self):
        urn = self.cleaned_data["urn"]
        school = School.objects.in_hub(self.hub).open().filter(urn=urn).first()
        if school is None:
            raise ValidationError(f"No open school with URN {urn} is in {self.hub.name}'s area.")
        self.cleaned_data["school"] = school
        return urn


class ParticipationPartForm(forms.Form):
    """One of the forms on a participation's page, made for that participation."""

    def __init__(self, *args, participation: Participation, **kwargs):
        self.participation = participation
        super().__init__(*args, **kwargs)


class ParticipationForm(ParticipationPartForm):
    lead_participants = forms.ModelMultipleChoiceField(
        queryset=SchoolContact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    release_days_used = forms.DecimalField(
        min_value=0, max_value=99.9, decimal_places=1, label="Release days used"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        facts = self.participation.work_group.facts
        field = self.fields["lead_participants"]
        field.queryset = SchoolContact.objects.filter(school=self.participation.school_id).order_by(
            "name"
        )
        field.label_from_instance = lambda c: f"{c.name} ({c.get_role_display()})"
        field.help_text = (
            f"{facts.lead_participants_per_school} {facts.lead_participant_title}"
            f"{'s' if facts.lead_participants_per_school > 1 else ''} per school in this phase."
        )
        if facts.release_days:
            self.fields[
                "release_days_used"
            ].help_text = f"The phase funds {facts.release_days} combined days of release time."


class GrantForm(ParticipationPartForm):
    grant_status = forms.ChoiceField(label="Grant", choices=Participation.GrantStatus.choices)
    grant_claimed_on = forms.DateField(label="Claimed on", required=False, widget=DateInput)
    grant_paid_on = forms.DateField(label="Paid on", required=False, widget=DateInput)


class WithdrawForm(ParticipationPartForm):
    withdrawn_reason = forms.CharField(
        label="Why is the school withdrawing?", widget=forms.Textarea(attrs={"rows": 3})
    )


class WorkshopForm(forms.Form):
    date = forms.DateField(widget=DateInput)
    session = forms.ChoiceField(
        choices=Workshop.Session.choices, widget=forms.RadioSelect, label="Half-day"
    )
    starts_at = forms.TimeField(
        label="Starts at",
        required=False,
        widget=TimeInput,
        help_text="Leave empty for the usual time: 9:00 in the morning, 13:00 in the afternoon.",
    )
    ends_at = forms.TimeField(
        label="Ends at",
        required=False,
        widget=TimeInput,
        help_text="Leave empty for the usual time: 12:00 or 16:00.",
    )
    host_school = forms.ModelChoiceField(
        queryset=School.objects.none(),
        required=False,
        label="Host school",
        help_text="A school taking part in the group, or the lead's own school.",
    )
    strands = forms.MultipleChoiceField(
        choices=Strand.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Strands covered",
    )
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    materials = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Links to materials, one per line (https://…).",
    )

    def __init__(self, *args, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_school"].queryset = hosts
        self.fields["host_school"].label_from_instance = lambda school: school.name

    def clean_materials(self):
        lines = [line.strip() for line in self.cleaned_data["materials"].splitlines()]
        links = [line for line in lines if line]
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except ValidationError:
                raise ValidationError(
                    f"“{link[:80]}” is not a link: each line must start with https://."
                ) from None
        return "\n".join(links)


class InviteForm(forms.Form):
    contact = forms.ModelChoiceField(
        queryset=SchoolContact.objects.none(), label="Invite another teacher"
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["contact"].label_from_instance = lambda c: f"{c.name}, {c.school.name}"


# The buttons on each attendee's row: every status but "not recorded".
ATTENDANCE_MARKS = [c for c in Attendance.Status.choices if c[0] != Attendance.Status.EXPECTED]


CHOOSE_A_MARK = "Choose present, absent or apologies."


class AttendanceForm(forms.Form):
    contact = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=Attendance.Status.choices,
        error_messages={"required": CHOOSE_A_MARK, "invalid_choice": CHOOSE_A_MARK},
    )


class VisitScheduleForm(forms.Form):
    scheduled_for = forms.DateField(label="Day of the visit", widget=DateInput)
    starts_at = forms.TimeField(label="Arriving at", required=False, widget=TimeInput)


class VisitRecordForm(forms.Form):
    visited_on = forms.DateField(label="Day of the visit", widget=DateInput)
    lessons_observed = forms.IntegerField(min_value=0, max_value=20, initial=0)
    trg_supported = forms.BooleanField(label="Supported an in-school TRG session", required=False)
    trg_notes = forms.CharField(
        label="TRG session notes", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    met_headteacher = forms.BooleanField(label="Discussion with the headteacher", required=False)
    met_lead_teachers = forms.BooleanField(
        label="Discussion with the lead teachers", required=False
    )
    discussion_notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_steps = forms.CharField(
        label="Agreed next steps", widget=forms.Textarea(attrs={"rows": 3})
    )
