"""A password reset never makes Tandem mail a stranger, and never says who has an account."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from tests import factories as f


def _reset(client, email: str):
    return client.post(reverse("account_reset_password"), {"email": email}, follow=True)


def test_reset_for_an_unknown_address_sends_nothing_and_answers_as_for_a_known_one(client, db):
    f.UserFactory(email="known@example.org")
    known = _reset(client, "known@example.org")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["known@example.org"]

    unknown = _reset(client, "nobody@example.org")
    assert len(mail.outbox) == 1  # nothing more was sent
    assert unknown.status_code == known.status_code == 200
    assert [url for url, _status in unknown.redirect_chain] == [
        url for url, _status in known.redirect_chain
    ]
    assert unknown.templates[0].name == known.templates[0].name
