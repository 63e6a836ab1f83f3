from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open: people join an organization through an invitation afterwards."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True
