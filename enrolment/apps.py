from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "enrolment"

    def ready(self):
        from accounts.grants import register

        from .services import SCHOOL_CONTACT_GRANT, school_contact_describe, school_contact_give

        # Placing a school invites its contacts with this grant (accounts cannot import
        # enrolment): an existing account becomes the school's contact when its owner accepts.
        register(SCHOOL_CONTACT_GRANT, give=school_contact_give, describe=school_contact_describe)
