import uuid

from allauth.account.adapter import DefaultAccountAdapter

from notifications.services import notify


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up (accounts come by invitation); account mail goes through the outbox."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        """Password resets, address verification and security notices, recorded and sent once."""
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", ())
                if mimetype == "text/html"
            ),
            "",
        )
        text = message.body if message.content_subtype == "plain" else ""
        user = context.get("user")
        notify(
            kind="account:" + template_prefix.rsplit("/", 1)[-1],
            # Each request is its own occasion: a second reset request sends a second mail.
            key=uuid.uuid4().hex,
            to=email,
            subject=message.subject,
            body_text=text or html,
            body_html=html,
            user=user if getattr(user, "pk", None) else None,
            # A reset or confirmation link works once: it is not kept after sending.
            secret=context.get("password_reset_url") or context.get("activate_url") or "",
        )
