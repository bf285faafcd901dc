"""Forms for the plan editor: each edits one part and carries the version it started from."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from .models import Action, ActionPlan, Priority
from .programme import INTENDED_OUTCOMES


class VersionedForm(forms.ModelForm):
    """Edits an existing row; `version` says which version of it the person started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def rebase(self, version: int) -> None:
        """After a conflict the form keeps the person's words; saving again is a choice."""
        data = self.data.copy()
        data[self.add_prefix("version")] = version
        self.data = data


class PlanForm(VersionedForm):
    class Meta:
        model = ActionPlan
        fields = ["context", *(heading.field for heading in INTENDED_OUTCOMES)]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The programme's own words for each outcome, as prompts for the school.
        for heading in INTENDED_OUTCOMES:
            self.fields[heading.field].help_text = "For example: " + " ".join(heading.prompts)


class ReflectionForm(VersionedForm):
    class Meta:
        model = ActionPlan
        fields = ["mid_year_review", "end_of_year_reflection", "impact_evidence"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class PriorityCreateForm(forms.ModelForm):
    """A new priority; the areas it can address depend on the plan's phase."""

    class Meta:
        model = Priority
        fields = ["title", "areas", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"] = forms.MultipleChoiceField(
            label="Areas it addresses",
            choices=[(area.code, area.name) for area in self.instance.plan.areas],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one area this priority addresses."},
        )


class PriorityForm(VersionedForm, PriorityCreateForm):
    """A priority as saved, edited from the version the person started from."""


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionCreateForm(forms.ModelForm):
    """A new action. Who, when and status side by side: an action reads as one line of a plan."""

    class Meta:
        model = Action
        fields = list(Action.CONTENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "success_criteria": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DATE_INPUT,
            "due_on": DATE_INPUT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "description",
            Row(Column("owner", css_class="col-md-6"), Column("status", css_class="col-md-6")),
            Row(Column("starts_on", css_class="col-md-6"), Column("due_on", css_class="col-md-6")),
            "success_criteria",
            "resources",
            *(["version"] if "version" in self.fields else []),
        )


class ActionForm(VersionedForm, ActionCreateForm):
    """An action as saved, edited from the version the person started from."""


OUT_OF_DATE = "The page was out of date: nothing was removed. Try again."


class DeleteForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE, "min_value": OUT_OF_DATE},
    )


class MoveForm(forms.Form):
    direction = forms.TypedChoiceField(choices=[("-1", "up"), ("1", "down")], coerce=int)


WRITE_A_COMMENT = "Write a comment (up to 5,000 characters) before sending it."


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": WRITE_A_COMMENT, "max_length": WRITE_A_COMMENT},
    )
    action = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Overall comment for the school (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
