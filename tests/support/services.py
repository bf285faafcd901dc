"""What the "no service trusts its caller" tests share."""

import inspect


def services_taking_acting_user(module) -> set[str]:
    """The public functions of a services module that act for someone: each must have a case."""
    return {
        name
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "acting_user" in inspect.signature(function).parameters
    }
