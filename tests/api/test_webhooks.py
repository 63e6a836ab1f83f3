"""Webhooks against a real HTTP receiver on 127.0.0.1, verified as a receiver would."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api import services, webhooks
from api.models import WebhookDelivery, WebhookEndpoint
from api.tasks import webhooks_deliver_due_task
from partnerships import services as partnership_services
from tests import factories as f
from tests.conftest import World


@dataclass
class Receiver:
    """Answers each POST with the next of ``answers`` (then 200) and keeps what it got."""

    url: str
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            status, headers = state.answers.pop(0) if state.answers else (200, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def _endpoint(world: World, receiver: Receiver, events: list[str]) -> WebhookEndpoint:
    return services.webhook_create(
        actor=world.city_admin, organization=world.city, url=receiver.url, events=events
    )


def _record_checkin(world: World) -> None:
    checkin = f.CheckInFactory(partnership=world.partnership, due_date=timezone.localdate())
    partnership_services.checkin_record(
        actor=world.city_staff, checkin=checkin, held=True, held_on=timezone.localdate()
    )


def test_a_recorded_checkin_is_delivered_signed_as_standard_webhooks_say(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: object
) -> None:
    endpoint = _endpoint(world, receiver, ["checkin.recorded"])

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _record_checkin(world)

    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    payload = Webhook(endpoint.secret).verify(body, headers)
    assert payload["type"] == "checkin.recorded"
    assert payload["data"]["partnership"] == world.partnership.pk
    assert headers["webhook-signature"].startswith("v1,")
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks.new_secret()).verify(body, headers)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.attempt_log.get().status_code == 200


def test_an_event_nobody_asked_for_is_not_sent(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: object
) -> None:
    _endpoint(world, receiver, ["measurement.added"])

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _record_checkin(world)

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_after_a_rotation_both_secrets_sign(world: World, receiver: Receiver) -> None:
    endpoint = _endpoint(world, receiver, ["checkin.recorded"])
    old = endpoint.secret
    services.webhook_rotate_secret(actor=world.city_admin, endpoint=endpoint)
    now = timezone.now()

    header = webhooks.signature(endpoint, "msg_1", now, "{}")

    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(int(now.timestamp()))}
    for secret in (old, endpoint.secret):
        Webhook(secret).verify("{}", {**headers, "webhook-signature": header})
    assert len(header.split(" ")) == 2


def _pending(world: World, receiver: Receiver) -> WebhookDelivery:
    endpoint = _endpoint(world, receiver, ["checkin.recorded"])
    return WebhookDelivery.objects.create(
        endpoint=endpoint, message_id="msg_test", event_type="checkin.recorded", payload="{}"
    )


def test_a_failure_is_tried_again_later_with_the_same_id_until_it_succeeds(
    world: World, receiver: Receiver
) -> None:
    delivery = _pending(world, receiver)
    receiver.answers = [(500, {}), (302, {"Location": "https://example.org/"}), (200, {})]

    outcomes = [webhooks.deliver(delivery.pk)]
    delivery.refresh_from_db()
    first_wait = delivery.next_attempt_at - timezone.now()
    for _ in range(2):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        outcomes.append(webhooks.deliver(delivery.pk))

    assert outcomes == ["retry", "retry", "succeeded"]
    assert timedelta(seconds=3) < first_wait < timedelta(seconds=7)
    assert {headers["webhook-id"] for headers, _ in receiver.received} == {"msg_test"}
    assert [a.status_code for a in delivery.attempt_log.order_by("pk")] == [500, 302, 200]


def test_retry_after_is_honoured(world: World, receiver: Receiver) -> None:
    delivery = _pending(world, receiver)
    receiver.answers = [(503, {"Retry-After": "3600"})]

    webhooks.deliver(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.next_attempt_at - timezone.now() > timedelta(minutes=59)


def test_a_delivery_not_due_is_not_sent_and_the_sweep_sends_due_ones(
    world: World, receiver: Receiver
) -> None:
    delivery = _pending(world, receiver)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    assert webhooks.deliver(delivery.pk) == "not due"

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert webhooks_deliver_due_task.delay().get() == 1
    assert len(receiver.received) == 1


def test_the_retries_span_about_three_days() -> None:
    total = sum(webhooks.BACKOFF, timedelta())

    assert timedelta(days=3) <= total <= timedelta(days=3, hours=6)
    assert webhooks.next_wait(len(webhooks.BACKOFF) + 1, None) is None


def test_410_turns_the_endpoint_off_and_its_admins_are_told(
    world: World, receiver: Receiver
) -> None:
    delivery = _pending(world, receiver)
    receiver.answers = [(410, {})]
    mail.outbox.clear()

    assert webhooks.deliver(delivery.pk) == "gone"

    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.disabled_at is not None
    assert [m.to for m in mail.outbox] == [[world.city_admin.email]]


def test_an_endpoint_failing_for_five_days_is_turned_off(world: World, receiver: Receiver) -> None:
    delivery = _pending(world, receiver)
    WebhookEndpoint.objects.update(failing_since=timezone.now() - timedelta(days=5, minutes=1))
    receiver.answers = [(500, {})]

    assert webhooks.deliver(delivery.pk) == "disabled"

    assert WebhookEndpoint.objects.get().disabled_at is not None


def test_a_delivery_is_replayed_by_hand(world: World, receiver: Receiver) -> None:
    delivery = _pending(world, receiver)
    receiver.answers = [(410, {})]
    webhooks.deliver(delivery.pk)

    services.webhook_replay(actor=world.city_admin, delivery=delivery)
    webhooks.deliver(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert WebhookEndpoint.objects.get().disabled_at is None


def test_private_addresses_are_refused_in_production(settings: object) -> None:
    settings.TANDEM_WEBHOOKS_ALLOW_PRIVATE = False  # type: ignore[attr-defined]

    for url in (
        "https://127.0.0.1/x",
        "https://10.0.0.8/",
        "http://example.org/",
        "https://[::1]/",
    ):
        with pytest.raises(webhooks.AddressRefused):
            webhooks.check_address(url)


def test_the_payload_is_plain_json(world: World, receiver: Receiver) -> None:
    from core.models import Event

    event = Event(action="partnerships.checkin.recorded", partnership_id=1, data={"held": True})
    event.created_at = timezone.now()

    body = json.loads(webhooks.payload_for(event, "checkin.recorded"))

    assert body["type"] == "checkin.recorded" and body["data"]["held"] is True


def test_a_real_score_change_is_delivered_signed(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: object
) -> None:
    from health import services as health_services
    from partnerships.models import Partner

    endpoint = _endpoint(world, receiver, ["health.score.changed"])
    health_services.scores_recompute(ids=[world.partnership.pk])  # the first scores
    # A second partner joins: a practice's score moves, which is an event.
    Partner.objects.create(
        partnership=world.partnership,
        organization=f.OrganizationFactory(name="Riverside Builders"),
        status=Partner.Status.ACCEPTED,
        joined_on=timezone.localdate(),
    )

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        health_services.scores_recompute(ids=[world.partnership.pk])

    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    payload = Webhook(endpoint.secret).verify(body, headers)
    assert payload["type"] == "health.score.changed"
    assert payload["data"]["partnership"] == world.partnership.pk
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED


def test_a_real_comment_answer_is_delivered_signed(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: object
) -> None:
    from beneficiaries import services as beneficiary_services
    from tests.test_url_walk import _bundle

    endpoint = _endpoint(world, receiver, ["beneficiaries.comment.answered"])
    comment = _bundle(world.partnership, world.city_staff).comment

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        answer = beneficiary_services.comment_answer(
            actor=world.entrepreneur, comment=comment, body="From December, yes."
        )

    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    payload = Webhook(endpoint.secret).verify(body, headers)
    assert payload["type"] == "beneficiaries.comment.answered"
    assert payload["data"]["partnership"] == world.partnership.pk
    assert payload["data"]["comment"] == comment.pk
    assert payload["data"]["answer"] == answer.pk
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED


# --- The sweep: a fan-out whose task never ran -----------------------------------------------


def _lost_event(world: World, *, age: timedelta) -> int:
    """A check-in recorded ``age`` ago whose fan-out task never ran (no signal is sent)."""
    from core.models import Event

    return Event.objects.create(
        actor=world.city_staff,
        action="partnerships.checkin.recorded",
        partnership_id=world.partnership.pk,
        organization_id=world.city.pk,
        data={},
        created_at=timezone.now() - age,
    ).pk


@pytest.fixture
def fresh_sweep() -> Iterator[None]:
    from django.core.cache import cache

    cache.delete(webhooks._SWEPT_KEY)
    yield
    cache.delete(webhooks._SWEPT_KEY)


@pytest.mark.usefixtures("fresh_sweep")
def test_the_sweep_fans_out_an_event_whose_task_never_ran_once(
    world: World, receiver: Receiver
) -> None:
    endpoint = _endpoint(world, receiver, ["checkin.recorded"])
    lost = _lost_event(world, age=timedelta(minutes=10))

    created = webhooks.deliveries_sweep()

    assert [(d.endpoint_id, d.event_id) for d in created] == [(endpoint.pk, lost)]
    assert webhooks.deliveries_sweep() == []
    webhooks_deliver_due_task()
    assert len(receiver.received) == 1
    assert json.loads(receiver.received[0][1])["data"]["event"] == lost


@pytest.mark.usefixtures("fresh_sweep")
def test_the_sweep_leaves_events_to_their_task_first_and_old_ones_alone(
    world: World, receiver: Receiver
) -> None:
    _endpoint(world, receiver, ["checkin.recorded"])
    _lost_event(world, age=timedelta(seconds=30))
    _lost_event(world, age=webhooks.CATCH_UP + timedelta(minutes=5))

    assert webhooks.deliveries_sweep() == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.usefixtures("fresh_sweep")
def test_the_sweep_adds_nothing_to_an_event_the_task_fanned_out(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: object
) -> None:
    _endpoint(world, receiver, ["checkin.recorded"])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _record_checkin(world)
    assert WebhookDelivery.objects.count() == 1

    later = timezone.now() + timedelta(minutes=10)
    assert webhooks.deliveries_sweep(at=later) == []
    assert WebhookDelivery.objects.count() == 1


def test_one_delivery_per_event_and_endpoint_even_when_two_fan_outs_meet(
    world: World, receiver: Receiver
) -> None:
    from core.models import Event

    endpoint = _endpoint(world, receiver, ["checkin.recorded"])
    event = Event.objects.get(pk=_lost_event(world, age=timedelta(minutes=10)))
    first = webhooks.deliveries_create(event=event)
    # The second fan-out read "nothing delivered yet" before the first wrote: its insert
    # meets the constraint and writes nothing.
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                message_id="msg_second",
                event_type="checkin.recorded",
                event_id=event.pk,
                payload="{}",
            )
        ],
        ignore_conflicts=True,
    )

    assert len(first) == 1 and first[0].pk is not None
    assert WebhookDelivery.objects.filter(event_id=event.pk).count() == 1
    assert webhooks.deliveries_create(event=event) == []


def test_the_sweep_is_in_the_beat_schedule() -> None:
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "api.tasks.webhook_deliveries_sweep_task" in tasks
