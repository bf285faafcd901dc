"""Background work for schools: loading an uploaded register extract."""

from celery import shared_task

from core.roles import SYSTEM

from .gias import RegisterFileError
from .models import RegisterImport
from .services import register_import_run


@shared_task(acks_late=True)
def register_import_task(register_import_id: int) -> dict | None:
    """Run one uploaded register import; a finished one is left as it is."""
    register_import = RegisterImport.objects.filter(pk=register_import_id).first()
    if register_import is None:
        return None
    try:
        report = register_import_run(register_import=register_import, acting_user=SYSTEM)
    except RegisterFileError:
        # A refused file is an outcome, recorded on the import for the person who loaded it.
        return None
    return report.summary() if report else None
