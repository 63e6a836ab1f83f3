"""Comments benchmark: what the plan's comment pages cost, and reports arriving at once.

    .venv/bin/python bench/comments.py [--comments 200] [--reporters 20] [--repeat 7]

Sets up a scratch test database (PostgreSQL on 127.0.0.1:5432 as the other benchmarks, or
DATABASE_URL), fills one partnership's plan section with comments, replies and answers
through the services, then prints for the beneficiary's pages (the plan in plain words, the
section with its first page of comments, one's own comments, the printed plan): the median
answer time, the number of queries and the compressed size of the HTML. Last, that many
reporters report one comment at the same moment, each in a thread of its own: it prints how
long the burst took, and checks that every report counted once and the comment was hidden
once. Writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--reporters", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tandem_bench_comments"
    )
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        ok = _run(args.comments, args.reporters, args.repeat)
    finally:
        from django.db import connections

        connections.close_all()
        teardown_databases(databases, verbosity=0)
    sys.exit(0 if ok else 1)


def _run(comments: int, reporters: int, repeat: int) -> bool:
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from beneficiaries import services
    from beneficiaries.events import Action
    from beneficiaries.models import Comment
    from core.models import Event
    from partnerships import services as plan
    from partnerships.models import Participant
    from tests import factories as f

    city = f.CityFactory()
    staff = f.UserFactory()
    f.MembershipFactory(user=staff, organization=city)
    partnership = f.PartnershipFactory(city=city, point_of_contact=staff)
    version = plan.plan_publish(
        actor=staff,
        partnership=partnership,
        sections=[
            (f"Section {i}", "What the partners will do. " * 30, "One line.") for i in range(8)
        ],
    )
    section = version.sections.get(order=1)
    resident = f.UserFactory()
    Participant.objects.create(partnership=partnership, user=resident)
    for i in range(comments):
        comment = services.comment_post(
            actor=resident, section=section, body=f"Comment {i}: a few plain words. " * 3
        )
        services.comment_post(actor=staff, section=section, body="Thank you.", parent=comment)
        if i % 2:
            services.comment_answer(actor=staff, comment=comment, body="We did this.")

    client = Client()
    client.force_login(resident)
    pk = partnership.pk
    pages = {
        "plan in plain words": reverse("beneficiaries:plan", args=[pk]),
        "section, first page": reverse("beneficiaries:section", args=[pk, section.pk]),
        "my comments, first page": reverse("beneficiaries:my_comments", args=[pk]),
        "printed plan": reverse("beneficiaries:plan_print", args=[pk, version.number]),
    }
    print(f"{comments} comments with a reply each, half answered, on one section")
    for name, url in pages.items():
        client.get(url)  # warm
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        size = len(gzip.compress(response.content))
        print(
            f"  {name}: median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms, "
            f"{len(queries.captured_queries)} queries, HTML {size:,} B compressed "
            f"(status {response.status_code})"
        )

    target = services.comment_post(actor=resident, section=section, body="Reported a lot.")
    people = []
    for _ in range(reporters):
        person = f.UserFactory()
        Participant.objects.create(partnership=partnership, user=person)
        people.append(person)
    start = threading.Barrier(reporters)
    errors: list[str] = []

    def report(person: object) -> None:
        try:
            mine = Comment.objects.select_related("partnership").get(pk=target.pk)
            start.wait(timeout=30)
            services.comment_report(actor=person, comment=mine, reason="spam")  # type: ignore[arg-type]
        except Exception as error:  # printed below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(p,)) for p in people]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    took = (time.perf_counter() - began) * 1000
    target.refresh_from_db()
    hidden_events = Event.objects.filter(action=Action.COMMENT_HIDDEN, target_id=target.pk).count()
    counted = target.report_count == reporters == target.reports.count()
    print(
        f"{reporters} reports at the same moment: {took:.0f} ms, counted {target.report_count}, "
        f"hidden {'yes' if target.is_hidden else 'no'}, hidden events {hidden_events}, "
        f"errors {len(errors)}"
    )
    for error in errors[:5]:
        print("  ", error)
    return counted and target.is_hidden and hidden_events == 1 and not errors


if __name__ == "__main__":
    main()
