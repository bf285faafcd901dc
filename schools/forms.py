from django import forms

from core.choices import ModelNameChoiceField, Select

from .models import Hub, HubStaff, LocalAuthority, School
from .selectors import PHASE_CHOICES, STATUS_CHOICES, SchoolSearch
from .services import INVITABLE_ROLES
from .widgets import SchoolAutocompleteWidget

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class SchoolSearchForm(forms.Form):
    q = forms.CharField(label="Name, URN or postcode", required=False, max_length=100)
    hub = ModelNameChoiceField(Hub.objects.all(), required=False, empty_label="Any hub")
    local_authority = ModelNameChoiceField(
        LocalAuthority.objects.all(), required=False, empty_label="Any local authority"
    )
    phase = forms.ChoiceField(
        choices=[("", "Any phase"), *PHASE_CHOICES], required=False, widget=Select
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *STATUS_CHOICES], required=False, widget=Select
    )

    def search(self) -> SchoolSearch:
        """What was asked for; a filter that does not validate is left out, not an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return SchoolSearch(
            query=data.get("q") or "",
            hub=data.get("hub"),
            local_authority=data.get("local_authority"),
            phase=data.get("phase") or "",
            status=data.get("status") or "",
        )


class SchoolByUrnField(forms.IntegerField):
    """A school chosen by URN (the autocomplete fills it in)."""

    widget = SchoolAutocompleteWidget
    default_error_messages = {
        "invalid": "Choose a school from the list, or enter its URN (a number).",
    }

    def clean(self, value):
        urn = super().clean(value)
        if urn is None:
            return None
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise forms.ValidationError("There is no school with URN %(urn)s.", params={"urn": urn})
        return school


class HubStaffInviteForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(
        choices=[(role.value, role.label) for role in INVITABLE_ROLES],
        widget=forms.RadioSelect,
        initial=HubStaff.Role.MASTERY_SPECIALIST,
    )
    school = SchoolByUrnField(
        label="Their school (optional)",
        required=False,
        help_text="For a Mastery Specialist: the school where they teach. Type a name or URN.",
    )


class HubAreaForm(forms.Form):
    local_authorities = forms.ModelMultipleChoiceField(
        label="Local authorities this hub serves",
        queryset=LocalAuthority.objects.filter(in_england=True).select_related("hub"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authorities"].label_from_instance = lambda la: (
            f"{la.name} ({la.code})"
            + (f", now served by {la.hub.name}" if la.hub_id and la.hub_id != hub.pk else "")
        )


class SchoolHubForm(forms.Form):
    hub = ModelNameChoiceField(
        Hub.objects.all(),
        label="Works with hub",
        required=False,
        empty_label="The hub of its local authority",
    )


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label="GIAS extract (CSV)",
        help_text="The “all establishment data” CSV from Get Information About Schools, "
        "as downloaded (Windows-1252 or UTF-8).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv", "class": "form-control"}),
    )
    dry_run = forms.BooleanField(
        label="Check only: report what would change and write nothing", required=False
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose the CSV file (its name ends in .csv).")
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 200 MB; is it the right one?")
        return file
