# Moving: the roles module is core.roles (below every app). Removed once every import says so.
from core.roles import *  # noqa: F401,F403
from core.roles import SYSTEM, Roles, provide_facts, recorded, roles_for  # noqa: F401
