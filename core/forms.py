"""What every app's forms share: a service's refusal shown on the form, its errors as text and as
links for the error summary, and messages that name the field and say what to do."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal next to the fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_messages(form: forms.Form) -> list[str]:
    """Every error on the form, as a person reads it, in the order they were found."""
    return [str(message) for errors in form.errors.values() for message in errors]


def error_links(form: forms.Form) -> list[tuple[str, str]]:
    """(field id or "", message) in the order the page shows the fields: the error summary's
    items, each linked to its field (a problem with the whole form links nowhere)."""
    links = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        links += [(field.id_for_label or field.auto_id, str(error)) for error in field.errors]
    return links


# Messages that name the field ------------------------------------------------------------------

_ARTICLES = ("the", "your", "a", "an", "its", "their", "this")


def _noun(label: str) -> str:
    """A field's label as the object of a sentence: "Day of the visit" → "the day of the visit"."""
    text = str(label).strip().rstrip(":").strip()
    if len(text) > 1 and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text if text.split(" ")[0].lower() in _ARTICLES else f"the {text}"


def _default_messages(field: forms.Field) -> dict:
    found = {}
    for kind in reversed(type(field).__mro__):
        found.update(getattr(kind, "default_error_messages", {}))
    return found


def _explained(field: forms.Field, label: str) -> dict:
    """Django's generic messages ("This field is required.") said of this field."""
    if str(label).endswith("?"):
        required = f"Answer “{label}”."
    elif isinstance(field, forms.BooleanField):
        required = f"Tick “{label}” to go on."
    elif isinstance(field, forms.ChoiceField):
        required = f"Choose {_noun(label)}."
    else:
        required = f"Enter {_noun(label)}."
    noun = _noun(label)
    subject = noun[0].upper() + noun[1:]
    messages = {
        "required": required,
        "invalid_choice": f"Choose {noun} from the list.",
        "max_length": f"{subject} must be %(limit_value)d characters or fewer: shorten it.",
        "min_length": f"{subject} must be at least %(limit_value)d characters.",
        "min_value": f"{subject} must be %(limit_value)s or more.",
        "max_value": f"{subject} must be %(limit_value)s or less.",
    }
    if isinstance(field, forms.DateField):
        messages["invalid"] = f"Enter {noun} as a real date, like 14/03/2026."
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = f"Enter {noun} as a time, like 09:30."
    elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"Enter {noun} as a number."
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter {noun} in the right format, like name@school.org.uk."
    elif isinstance(field, forms.URLField):
        messages["invalid"] = f"Enter {noun} as a web address starting https://."
    return messages


def explain_errors(form: forms.Form) -> None:
    """Give each field that still has one of Django's generic messages one that names it and
    says what to do; a message a form wrote itself is kept."""
    for name, field in form.fields.items():
        defaults = _default_messages(field)
        better = _explained(field, form[name].label)
        for key, text in better.items():
            # A validator's code (max_length, min_value) is not among the field's own messages
            # until one is given for it.
            if field.error_messages.get(key, defaults.get(key)) == defaults.get(key):
                field.error_messages[key] = text
