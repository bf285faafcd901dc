from core.roles import roles_for

from .navigation import nav_items


def portal(request):
    roles = roles_for(request.user) if hasattr(request, "user") else None
    items = nav_items(roles, request.path) if roles else []
    return {
        "roles": roles,
        "nav_items": items,
        "nav_more": [item for item in items if item["more"]],
    }
