"""The demo's voices: every demo partnership with a beneficiary has comments, replies,
answers (one that changed the plan), a comment hidden by three reports, voices gathered at a
meeting and the beneficiaries who took part in its check-ins; loading again adds none."""

from __future__ import annotations

import pytest
from django.utils import timezone

from beneficiaries.models import CheckInAttendance, Comment, CommentAnswer
from tests.demo.test_load_demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_partnerships_with_beneficiaries_hear_them_and_answer() -> None:
    load_demo()
    spoken = {c.partnership_id for c in Comment.objects.all()}
    assert len(spoken) == 3  # the three demo partnerships with a participant

    for partnership_id in spoken:
        comments = Comment.objects.filter(partnership_id=partnership_id)
        assert comments.filter(parent__isnull=False).exists()
        assert comments.filter(answer__isnull=False).exists()
        assert comments.filter(answer__isnull=True, parent__isnull=True).exists()
        offline = comments.filter(source=Comment.Source.OFFLINE)
        assert offline.filter(spoken_by="").exists() and offline.exclude(spoken_by="").exists()
        hidden = comments.get(hidden_at__isnull=False)
        assert hidden.report_count == 3 == hidden.reports.count()
        assert CheckInAttendance.objects.filter(checkin__partnership_id=partnership_id).exists()
        assert max(c.created_at for c in comments) <= timezone.now()
    linked = CommentAnswer.objects.filter(changed_version__isnull=False)
    assert linked.exists()
    for answer in linked:
        assert answer.changed_version.number > answer.comment.section.version.number

    before = Comment.objects.count(), CommentAnswer.objects.count()
    load_demo()
    assert (Comment.objects.count(), CommentAnswer.objects.count()) == before
