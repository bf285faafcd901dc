from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people get an account by invitation only."""

    def is_open_for_signup(self, request):
        return False
