"""What every app's forms share: a service's refusal shown on the form, and its errors as text."""

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
