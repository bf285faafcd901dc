"""The expression of interest form and the hub lead's decision forms."""

import re

import django_filters
from django import forms

from core.formatting import academic_year_name
from core.forms import error_links
from schools.models import School
from schools.selectors import SchoolSearch, school_search
from workgroups.programme import PHASES, Phase

from .eligibility import COMMITMENTS, NUMBER_WORDS, register_problems
from .models import PRIORITIES_MAX_LENGTH, ExpressionOfInterest
from .selectors import school_facts

EMAIL_FORMAT = "Enter an e-mail address in the right format, like name@school.org.uk."
URN_IN_TEXT = re.compile(r"(?<!\d)(\d{6})(?!\d)")
MAX_CANDIDATES = 10
ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth"}


def _messages(noun: str, max_length: int) -> dict:
    """Error messages that name the answer: noun is e.g. "the headteacher's name"."""
    return {
        "required": f"Enter {noun}.",
        "max_length": f"{noun[0].upper()}{noun[1:]} must be {max_length} characters or fewer.",
    }


def _text(label, *, noun, max_length, help_text="", autocomplete=""):
    attrs = {"autocomplete": autocomplete} if autocomplete else {}
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
        error_messages=_messages(noun, max_length),
    )


def _email(label, *, noun, autocomplete=""):
    attrs = {"autocomplete": autocomplete} if autocomplete else {}
    return forms.EmailField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs=attrs),
        error_messages={**_messages(noun, 254), "invalid": EMAIL_FORMAT},
    )


class InterestForm(forms.Form):
    """One school's expression of interest in one phase; the fields follow what the phase asks."""

    school_query = forms.CharField(
        label="Your school",
        max_length=200,
        help_text="Type its name, its six-digit URN or its postcode, then choose it from the list.",
        error_messages={"required": "Enter your school's name, URN or postcode."},
    )
    # Filled by the autocomplete (a URN); without JavaScript the typed text is searched instead.
    urn = forms.CharField(required=False, widget=forms.HiddenInput)
    # When several schools match the typed text, the page lists them to choose from.
    school_choice = forms.CharField(required=False)
    submitter_name = _text("Your name", noun="your name", max_length=150, autocomplete="name")
    submitter_role = _text(
        "Your role",
        noun="your role",
        max_length=100,
        help_text="For example headteacher, maths subject leader.",
    )
    submitter_email = _email(
        "Your e-mail address", noun="your e-mail address", autocomplete="email"
    )
    headteacher_name = _text("Headteacher's name", noun="the headteacher's name", max_length=150)
    headteacher_email = _email(
        "Headteacher's e-mail address", noun="the headteacher's e-mail address"
    )
    priorities = forms.CharField(
        label="The school's priorities for maths",
        help_text=(
            "What the school wants to work on this year, in a few sentences "
            f"({PRIORITIES_MAX_LENGTH:,} characters at most)."
        ),
        max_length=PRIORITIES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Tell us the school's priorities for maths.",
            "max_length": (
                f"The school's priorities must be {PRIORITIES_MAX_LENGTH:,} characters or fewer; "
                "shorten them and send again."
            ),
        },
    )
    privacy_consent = forms.BooleanField(
        label="I have read the privacy notice and agree that the hub keeps these details to run "
        "its work groups.",
        error_messages={"required": "Agree to the privacy notice to send the form."},
    )
    # A honeypot: hidden from people (and from assistive technology), filled in by robots.
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, phase, work_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.phase = phase
        self.facts = PHASES[phase]
        self.candidates: list[School] = []
        self.work_groups = {str(g.pk): g for g in work_groups}
        if work_groups:
            self.fields["work_group"] = forms.ChoiceField(
                label="Work group",
                required=False,
                choices=[("", "No preference: any of the hub's groups")]
                + [(key, _group_label(g)) for key, g in self.work_groups.items()],
                help_text="Choose the group you would like to join, if you have a preference.",
                error_messages={
                    "invalid_choice": "That work group is no longer open; choose another."
                },
            )
        title = self.facts.lead_participant_title
        short = title.split(" (")[0]
        count = self.facts.lead_participants_per_school
        for n in range(1, count + 1):
            who = f"{ORDINALS[n]} {short}" if count > 1 else title[0].upper() + title[1:]
            noun = f"the {ORDINALS[n].lower()} {short}" if count > 1 else f"the {short}"
            self.fields[f"lead_{n}_name"] = _text(
                f"{who}: name", noun=f"{noun}'s name", max_length=150
            )
            self.fields[f"lead_{n}_email"] = _email(
                f"{who}: e-mail address", noun=f"{noun}'s e-mail address"
            )
        for commitment in COMMITMENTS[phase]:
            self.fields[f"commit_{commitment.key}"] = forms.BooleanField(
                label=commitment.text,
                error_messages={
                    "required": f"Confirm the school commits to this: {commitment.text}"
                },
            )
        self.order_fields(
            ["school_query", "urn", "school_choice", "work_group", "submitter_name"]
            + ["submitter_role", "submitter_email", "headteacher_name", "headteacher_email"]
            + [name for name in self.fields if name.startswith(("lead_", "commit_"))]
            + ["priorities", "privacy_consent", "website"]
        )

    # Groups of fields, in the order the page shows them.
    @property
    def lead_fields(self):
        return [self[name] for name in self.fields if name.startswith("lead_")]

    @property
    def commitment_fields(self):
        return [self[name] for name in self.fields if name.startswith("commit_")]

    @property
    def lead_legend(self) -> str:
        count = self.facts.lead_participants_per_school
        title = self.facts.lead_participant_title.split(" (")[0]
        if count > 1:
            return f"The {NUMBER_WORDS[count]} {title}s"
        return f"The {self.facts.lead_participant_title}"

    def clean_work_group(self):
        return self.work_groups.get(self.cleaned_data.get("work_group") or "")

    @property
    def work_group_field(self):
        return self["work_group"] if "work_group" in self.fields else None

    def error_links(self) -> list[tuple[str, str]]:
        """(field id or "", message) in the order the page shows the fields, for the summary."""
        return error_links(self)

    def _find_school(self, query: str, chosen: str) -> School | None:
        """The school meant: a choice from the list, a URN, or the one school the text matches."""
        urn = chosen or URN_IN_TEXT.search(query)
        if urn:
            urn = urn if isinstance(urn, str) else urn.group(1)
            school = (
                School.objects.select_related("local_authority__hub", "hub_override")
                .filter(urn=int(urn))
                .first()
            )
            if school is None:
                self.add_error(
                    "school_query",
                    f"No school with URN {urn} is in the register of schools in England. Check "
                    "the six-digit number on Get Information about Schools, or type the "
                    "school's name.",
                )
            return school
        matches = list(school_search(SchoolSearch(query=query))[: MAX_CANDIDATES + 1])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            self.add_error(
                "school_query",
                f"No school matches “{query}”. Check the spelling, or type the school's URN "
                "or postcode.",
            )
        else:
            self.candidates = matches[:MAX_CANDIDATES]
            more = " (the first ten are shown; type more of the name to narrow them)"
            self.add_error(
                "school_query",
                f"More than one school matches “{query}”: choose yours from the list"
                f"{more if len(matches) > MAX_CANDIDATES else ''}.",
            )
        return None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            # Said plainly, in case a person's browser filled the hidden box in for them.
            self.add_error(
                None,
                "The form could not be sent because a hidden box meant to catch robots was "
                "filled in, perhaps by your browser. Check your answers and send again.",
            )
        query = (cleaned.get("school_query") or "").strip()
        chosen = (cleaned.get("school_choice") or cleaned.get("urn") or "").strip()
        if chosen and not chosen.isdigit():
            chosen = ""
        if query or chosen:
            school = self._find_school(query, chosen)
            if school is not None:
                refusal = register_refusal(school)
                if refusal:
                    self.add_error("school_query", refusal)
                cleaned["school"] = school
        return cleaned

    # What the service and the summary need ------------------------------------------------------

    def lead_participants(self) -> list[dict]:
        count = self.facts.lead_participants_per_school
        return [
            {
                "name": self.cleaned_data[f"lead_{n}_name"].strip(),
                "email": self.cleaned_data[f"lead_{n}_email"].strip().lower(),
            }
            for n in range(1, count + 1)
        ]

    def commitments(self) -> list[str]:
        return [c.key for c in COMMITMENTS[self.phase] if self.cleaned_data.get(f"commit_{c.key}")]

    def submission(self) -> dict:
        """The service's keyword arguments, from a valid form."""
        data = self.cleaned_data
        return {
            "school": data["school"],
            "phase": self.phase,
            "work_group": data.get("work_group"),
            "submitter_name": data["submitter_name"],
            "submitter_role": data["submitter_role"],
            "submitter_email": data["submitter_email"],
            "headteacher_name": data["headteacher_name"],
            "headteacher_email": data["headteacher_email"],
            "lead_participants": self.lead_participants(),
            "commitments": self.commitments(),
            "priorities": data["priorities"],
            "privacy_consent": data["privacy_consent"],
        }

    def summary_rows(self) -> list[tuple[str, str, str]]:
        """(question, answer, field to change) for the check-your-answers page."""
        data = self.cleaned_data
        school = data["school"]
        group = data.get("work_group")
        rows = [
            ("School", f"{school.name} (URN {school.urn}), {school.address}", "school_query"),
            ("Phase", self.facts.name, ""),
        ]
        if "work_group" in self.fields:
            rows.append(
                (
                    "Work group",
                    f"{group.title} ({group.code})" if group else "No preference",
                    "work_group",
                )
            )
        rows += [
            ("Your name", data["submitter_name"], "submitter_name"),
            ("Your role", data["submitter_role"], "submitter_role"),
            ("Your e-mail address", data["submitter_email"], "submitter_email"),
            ("Headteacher", data["headteacher_name"], "headteacher_name"),
            ("Headteacher's e-mail address", data["headteacher_email"], "headteacher_email"),
        ]
        for field in self.lead_fields:
            rows.append((field.label, data[field.name], field.name))
        rows.append(
            (
                "Commitments",
                "\n".join(f.label for f in self.commitment_fields),
                self.commitment_fields[0].name,
            )
        )
        rows.append(("Priorities", data["priorities"], "priorities"))
        rows.append(("Privacy notice", "Agreed", "privacy_consent"))
        return rows


def register_refusal(school: School, *, hub=None) -> str:
    """Why a school cannot take part at all, by the programme's rules (those judged from the
    register: open, not only proposed to open, primary), and what to do instead; "" for a school
    that may ask.

    Said when the school is chosen from the suggestions and again when the form is sent."""
    facts = school_facts(school)
    problems = register_problems(facts)
    if not problems:
        return ""
    if hub is not None and hub.contact_email:
        whom = f"{hub.name} at {hub.contact_email}"
    else:
        whom = hub.name if hub is not None else "the Maths Hub"
    if not facts.is_open:
        # The rule's reason already says how to find the school's new URN.
        instead = f"If the register is wrong, write to {whom}."
    elif not facts.is_primary:
        instead = (
            "Secondary schools can join the Maths Hubs' secondary Teaching for Mastery "
            f"programme instead: write to {whom} to ask about it."
        )
    else:
        instead = f"If you think this is wrong, write to {whom}."
    return " ".join([*problems, instead])


def _group_label(group) -> str:
    left = group.places_left
    return f"{group.title} ({group.code}), {left} place{'' if left == 1 else 's'} left"


# The hub lead's forms -------------------------------------------------------------------------


class PlaceForm(forms.Form):
    work_group = forms.ChoiceField(
        label="Work group",
        error_messages={
            "required": "Choose the work group to place the school in.",
            "invalid_choice": "Choose one of the listed work groups.",
        },
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in groups}
        self.fields["work_group"].choices = [("", "Choose a work group")] + [
            (key, f"{g.code} {g.title} ({g.places_taken} of {g.capacity} places taken)")
            for key, g in self.groups.items()
        ]

    def clean_work_group(self):
        return self.groups[self.cleaned_data["work_group"]]


class BulkPlaceForm(PlaceForm):
    selected = forms.ModelMultipleChoiceField(
        label="Expressions of interest to place",
        queryset=ExpressionOfInterest.objects.none(),
        error_messages={
            "required": "Tick at least one expression of interest to place.",
            "invalid_choice": "One of the ticked expressions of interest can no longer be placed.",
        },
    )

    def __init__(self, *args, groups, eois, **kwargs):
        super().__init__(*args, groups=groups, **kwargs)
        self.fields["selected"].queryset = eois


class SuggestedPlaceForm(forms.Form):
    """The ticked expressions of interest, each to be placed in its suggested group."""

    selected = BulkPlaceForm.base_fields["selected"]

    def __init__(self, *args, eois, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = eois


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep the note to 2,000 characters or fewer."},
    )

    def __init__(self, *args, label, required_message="", help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["note"]
        field.label, field.required, field.help_text = label, bool(required_message), help_text
        field.error_messages["required"] = required_message


class QueueFilter(django_filters.FilterSet):
    """The review queue's filters: year, phase, status and outcome."""

    academic_year__start_year = django_filters.ChoiceFilter(label="Year", empty_label="Any year")
    phase = django_filters.ChoiceFilter(choices=Phase.choices, empty_label="Any phase")
    status = django_filters.ChoiceFilter(
        choices=ExpressionOfInterest.Status.choices, empty_label="Any status"
    )
    outcome = django_filters.ChoiceFilter(
        choices=ExpressionOfInterest._meta.get_field("outcome").choices, empty_label="Any outcome"
    )

    class Meta:
        model = ExpressionOfInterest
        fields = ["academic_year__start_year", "phase", "status", "outcome"]

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        year = self.filters["academic_year__start_year"]
        year.extra["choices"] = [(y, academic_year_name(y)) for y in years]
        year.extra["error_messages"] = {
            "invalid_choice": "No expressions of interest are for that year: choose one of the "
            "years listed, or clear the filters."
        }


class GroupingForm(forms.Form):
    """What to suggest groups for: a phase, a year and the groups' size."""

    phase = forms.ChoiceField(label="Phase", choices=Phase.choices, initial=Phase.DEVELOPMENT)
    year = forms.TypedChoiceField(label="Year", coerce=int)
    size = forms.IntegerField(
        label="Schools in a group",
        min_value=2,
        max_value=12,
        error_messages={
            "min_value": "A group needs at least 2 schools.",
            "max_value": "A group takes at most 12 schools.",
            "invalid": "Enter the number of schools in a group, like 7.",
        },
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, academic_year_name(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = "Choose one of the years listed."
        self.fields["phase"].error_messages["invalid_choice"] = "Choose one of the phases listed."


class GroupAcceptForm(GroupingForm):
    """One suggested group to set up: its code and title, its host, and its schools (untick
    one to leave it out)."""

    host = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The national project code with the hub's suffix, e.g. NCP25-11-03.",
        error_messages={"required": "Enter the group's code."},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the group's title."}
    )
    selected = forms.ModelMultipleChoiceField(
        label="Schools to place",
        queryset=ExpressionOfInterest.objects.none(),
        error_messages={
            "required": "Tick at least one school to place in the group.",
            "invalid_choice": "One of the ticked schools is no longer waiting for a place.",
        },
    )

    def __init__(self, *args, eois, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = eois
        self.hosts = hosts

    def clean_host(self):
        host = self.hosts.filter(urn=self.cleaned_data["host"]).first()
        if host is None:
            raise forms.ValidationError("The host school is not one of the hub's schools.")
        return host
