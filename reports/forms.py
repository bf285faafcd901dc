"""What a report page or export may be asked for in its query string, each checked."""

from django import forms

from actionplans.programme import PlanStatus
from core.roles import roles_for
from schools.models import Hub
from workgroups.models import AcademicYear, Participation
from workgroups.programme import Phase

from .figures import VISIT_STATES
from .lists import ParticipationFilter, SchoolFilter

ANY = [("", "Any")]


class ReportForm(forms.Form):
    """The hub and year of a report. A blank hub means all of a person's hubs where allowed."""

    hub = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose a hub from the list."}
    )
    year = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Academic year",
        error_messages={"invalid_choice": "Choose an academic year from the list."},
    )

    def __init__(self, data=None, *, hubs, years, all_hubs_label=None, any_year=False):
        super().__init__(data)
        self.hubs = {hub.slug: hub for hub in hubs}
        self.fields["hub"].choices = ([("", all_hubs_label)] if all_hubs_label else []) + [
            (hub.slug, hub.name) for hub in hubs
        ]
        self.fields["year"].choices = ([("", "All years")] if any_year else []) + [
            (year, AcademicYear.name_for(year)) for year in years
        ]

    def chosen_hub(self):
        return self.hubs.get(self.cleaned_data.get("hub") or "")

    def chosen_year(self):
        return self.cleaned_data.get("year")


class NationalForm(forms.Form):
    year = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Academic year",
        error_messages={"invalid_choice": "Choose an academic year from the list."},
    )
    sort = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose a column to sort by."}
    )
    order = forms.ChoiceField(
        required=False,
        choices=[("", "Ascending"), ("asc", "Ascending"), ("desc", "Descending")],
        error_messages={"invalid_choice": "Sort in ascending or descending order."},
    )

    def __init__(self, data=None, *, years, columns):
        super().__init__(data)
        self.fields["year"].choices = [(year, AcademicYear.name_for(year)) for year in years]
        self.fields["sort"].choices = [("", "Hub"), ("hub", "Hub"), *columns]


class ParticipationListForm(ReportForm):
    phase = forms.ChoiceField(required=False, choices=ANY + Phase.choices)
    show = forms.ChoiceField(
        required=False,
        label="Schools",
        choices=[
            ("", "Taking part"),
            ("withdrawn", "Withdrawn"),
            ("all", "Taking part or withdrawn"),
        ],
    )
    grant = forms.ChoiceField(
        required=False,
        choices=ANY
        + [
            (status.value, status.label)
            for status in Participation.GrantStatus
            if status != Participation.GrantStatus.NOT_APPLICABLE
        ],
    )
    plan = forms.ChoiceField(
        required=False,
        label="Action plan",
        choices=ANY
        + PlanStatus.choices
        + [("none", "No plan yet"), ("at_risk", "With actions at risk or off track")],
    )
    visits = forms.ChoiceField(
        required=False,
        label="Support visits",
        choices=ANY
        + list(
            zip(
                VISIT_STATES,
                ["A visit done", "A visit scheduled", "A visit overdue", "A visit not scheduled"],
                strict=True,
            )
        ),
    )
    below_full = forms.BooleanField(
        required=False, label="Only schools whose lead participants missed a workshop"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("phase", "show", "grant", "plan", "visits"):
            self.fields[name].error_messages["invalid_choice"] = "Choose an option from the list."

    def list_filter(self, hub_ids) -> ParticipationFilter:
        """The participations the valid form asks for, in the hubs given (None: every hub)."""
        data = self.cleaned_data
        return ParticipationFilter(
            hub_ids=hub_ids,
            start_year=data["year"],
            phase=data["phase"] or None,
            show=data["show"] or "taking_part",
            grant=data["grant"] or None,
            plan=data["plan"] or None,
            visits=data["visits"] or None,
            below_full_attendance=data["below_full"],
        )


class SchoolListForm(ReportForm):
    reached = forms.ChoiceField(
        required=False, label="Reached the phase", choices=ANY + Phase.choices
    )
    taken_part = forms.ChoiceField(
        required=False,
        label="Taken part",
        choices=[("", "Any"), ("yes", "Taken part"), ("no", "Not yet taken part")],
    )
    la = forms.CharField(required=False, max_length=10, label="Local authority code")
    open_primary = forms.BooleanField(required=False, label="Only open primary schools")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("reached", "taken_part"):
            self.fields[name].error_messages["invalid_choice"] = "Choose an option from the list."

    def list_filter(self, hub_ids) -> SchoolFilter:
        """The schools the valid form asks for, in the hubs given (None: every hub)."""
        data = self.cleaned_data
        return SchoolFilter(
            hub_ids=hub_ids,
            start_year=data["year"],
            reached=data["reached"] or None,
            taken_part={"yes": True, "no": False}.get(data["taken_part"]),
            local_authority=data["la"].strip() or None,
            open_primary_only=data["open_primary"],
        )


class PersonForm(forms.Form):
    """Whose data: an address, and for a hub lead the hub whose records to look in."""

    email = forms.EmailField(
        label="The person's e-mail address",
        max_length=254,
        error_messages={
            "required": "Enter the person's e-mail address.",
            "invalid": "Enter an e-mail address like name@school.org.uk.",
        },
    )
    hub = forms.ModelChoiceField(
        queryset=Hub.objects.none(),
        empty_label=None,
        label="In the records of",
        error_messages={"invalid_choice": "Choose one of your hubs."},
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        roles = roles_for(user)
        if roles.everywhere:
            del self.fields["hub"]  # national staff: every hub's records
        else:
            self.fields["hub"].queryset = Hub.objects.filter(pk__in=roles.hub_lead_hub_ids)


class ErasureForm(PersonForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text="For example: asked by the person on 3 May. This is kept: do not write their "
        "name or address here.",
        error_messages={"required": "Say why this person's data is erased."},
    )
    confirm = forms.BooleanField(
        label="I understand that this replaces the person's name and address everywhere and "
        "cannot be undone",
        error_messages={"required": "Tick the box to confirm the erasure."},
    )
