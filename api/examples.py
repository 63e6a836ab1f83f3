"""Example bodies for the documentation: one per operation (tests/api check it)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

ORGANIZATION = {
    "id": 7,
    "name": "Second Harvest Kitchens",
    "slug": "second-harvest-kitchens",
    "kind": "social_enterprise",
    "country": "US",
    "website": "https://harvest.example.org",
    "description": "Cooks surplus food into meals for older neighbours.",
    "status": "approved",
}
PARTNERSHIP = {
    "id": 42,
    "title": "Community meals for older neighbours",
    "city": 3,
    "lead": 7,
    "goal": "Fewer older residents eating alone",
    "problem_statement": "Many older residents live alone and skip meals.",
    "status": "active",
    "pathway": 1,
    "stage": 2,
    "start_date": "2026-01-15",
    "cadence": "monthly",
    "point_of_contact": 11,
    "visibility": "private",
    "created_at": "2026-01-15T09:00:00Z",
    "last_activity_at": "2026-11-20T16:30:00Z",
    "archived_at": None,
    "version": 4,
}
PARTNER = {
    "id": 5,
    "organization": 7,
    "role_description": "Runs the kitchen and the deliveries.",
    "status": "accepted",
    "joined_on": "2026-01-15",
    "invited_at": "2026-01-10T10:00:00Z",
}
RESPONSIBILITY = {
    "id": 9,
    "organization": 7,
    "description": "Cook on Tuesdays",
    "due_date": "2026-12-31",
    "status": "in_progress",
    "version": 2,
}
STAGE_CHANGE = {
    "id": 3,
    "from_stage": 1,
    "to_stage": 2,
    "changed_at": "2026-03-01T12:00:00Z",
    "reason": "The pilot fed 60 people a week.",
}
PLAN_VERSION = {
    "id": 12,
    "partnership": 42,
    "number": 2,
    "note": "Added the delivery rounds",
    "published_at": "2026-04-02T08:00:00Z",
    "sections": [{"order": 1, "heading": "Why", "body": "Nobody should eat alone."}],
}
CHECKIN = {
    "id": 31,
    "partnership": 42,
    "due_date": "2026-11-15",
    "status": "held",
    "held_on": "2026-11-14",
    "notes": "Deliveries reached two more streets.",
    "decisions": "Add a Thursday round.",
    "follow_ups": "Find a second driver.",
    "attendees": [11, 15],
    "attending_organizations": [3, 7],
    "recorded_at": "2026-11-14T18:00:00Z",
    "version": 2,
}
CHECKIN_RECORD = {
    "held": True,
    "held_on": "2026-11-14",
    "notes": "Deliveries reached two more streets.",
    "decisions": "Add a Thursday round.",
    "follow_ups": "Find a second driver.",
    "attendees": [11, 15],
    "attending_organizations": [3, 7],
}
PROGRESS = {
    "id": 77,
    "partnership": 42,
    "organization": 7,
    "author": 15,
    "date": "2026-11-10",
    "text": "Served 240 meals this week.",
    "practices": [2],
    "levers": ["convene"],
    "created_at": "2026-11-10T17:00:00Z",
    "version": 1,
}
PROGRESS_CREATE = {
    "partnership": 42,
    "organization": 7,
    "text": "Served 240 meals this week.",
    "date": "2026-11-10",
    "practices": [2],
    "levers": ["convene"],
}
PROGRESS_EDIT = {"text": "Served 250 meals this week.", "date": "2026-11-10"}
INDICATOR = {
    "id": 8,
    "partnership": 42,
    "name": "Meals served per week",
    "unit": "meals",
    "direction": "up",
    "baseline": "120.00",
    "target": "400.00",
    "target_date": "2027-06-30",
    "allows_negative": False,
    "allows_above_100": False,
    "version": 1,
}
MEASUREMENT = {
    "id": 501,
    "indicator": 8,
    "date": "2026-11-09",
    "value": "240.00",
    "source": "Kitchen log",
    "entered_by": 15,
    "created_at": "2026-11-10T08:00:00Z",
}
MEASUREMENT_CREATE = {"indicator": 8, "date": "2026-11-09", "value": "240", "source": "Kitchen log"}
MEASUREMENT_BULK = {
    "measurements": [
        MEASUREMENT_CREATE,
        {"indicator": 8, "date": "2026-11-16", "value": "255", "source": "Kitchen log"},
    ]
}
MEASUREMENT_BULK_RESULT = {"created": 2, "ids": [501, 502]}
EXPERIMENT = {
    "id": 4,
    "partnership": 42,
    "title": "Text reminders the day before",
    "hypothesis": "A reminder makes fewer people miss their meal.",
    "what_is_tried": "An SMS the evening before each delivery.",
    "started_on": "2026-09-01",
    "ends_on": "2026-10-31",
    "result": "Missed deliveries fell from 12% to 5%.",
    "decision": "adopt",
}
FINANCIAL_NEED = {
    "id": 6,
    "partnership": 42,
    "organization": 7,
    "amount": "18000.00",
    "currency": "USD",
    "period": "year",
    "purpose": "A second delivery van.",
    "status": "open",
    "created_at": "2026-05-01T09:00:00Z",
    "version": 1,
}
PRACTICE = {
    "id": 2,
    "slug": "the-long-view",
    "number": 2,
    "name": "The Long View",
    "short_description": "Partners stay together long enough to see change.",
}
STAGE = {
    "id": 2,
    "pathway": 1,
    "order": 2,
    "slug": "pilot",
    "name": "Pilot",
    "what_to_expect": "A small test with real people.",
    "city_support": "A space and an introduction to the right department.",
}
PATHWAY = {
    "id": 1,
    "slug": "improve-services",
    "endgame": "improve_services",
    "order": 1,
    "name": "Improve services",
    "description": "The city adopts what works into its own services.",
    "stages": [STAGE],
}
PRACTICE_SCORE = {
    "practice": 2,
    "practice_slug": "the-long-view",
    "combined": 68,
    "perception": 72,
    "behaviour": 61,
    "band": "discuss",
    "confidence": 0.8,
    "spread": 12,
    "formula_version": 1,
    "computed_at": "2026-11-20T16:30:00Z",
    "overall": {"hidden": False, "hidden_reason": ""},
    "groups": [
        {
            "group": "city",
            "name": "City",
            "n": 4,
            "score": 75,
            "hidden": False,
            "hidden_reason": "",
        },
        {
            "group": "entrepreneurs",
            "name": "Entrepreneurs",
            "n": 5,
            "score": 70,
            "hidden": False,
            "hidden_reason": "",
        },
        {
            "group": "beneficiaries",
            "name": "Beneficiaries",
            "n": None,
            "score": None,
            "hidden": True,
            "hidden_reason": "Hidden: fewer than 3 people answered.",
        },
    ],
    "contributions": [
        {
            "key": "checkins_held",
            "sentence": "5 of the 6 check-ins due this year were held.",
            "points": 25,
            "possible_points": 30,
        }
    ],
    "would_raise": ["Hold the check-ins when they fall due."],
}
ROUND_SCORE = {
    "id": 88,
    "round": 3,
    "round_number": 2,
    "closed_at": "2026-10-01T12:00:00Z",
    "practice": 2,
    "combined": 64,
    "perception": 70,
    "behaviour": 55,
    "band": "discuss",
    "confidence": 0.7,
    "formula_version": 1,
}
COMMENT = {
    "id": 310,
    "partnership": 42,
    "plan_version": 12,
    "section": 40,
    "parent": None,
    "author": 21,
    "source": "online",
    "spoken_by": "",
    "spoken_on": None,
    "body": "Could the meals also come on Saturdays?",
    "created_at": "2026-11-02T10:00:00Z",
    "edited_at": None,
    "hidden": False,
    "answer": {
        "body": "Yes: from December a Saturday round delivers too.",
        "changed_version": 13,
        "answered_by": 15,
        "answered_at": "2026-11-09T09:00:00Z",
    },
    "version": 1,
}
COMMENT_ANSWER_CREATE = {
    "body": "Yes: from December a Saturday round delivers too.",
    "changed_version": 13,
}
NOTIFICATION = {
    "id": 901,
    "kind": "comment_answered",
    "partnership": 42,
    "url": "/en/partnerships/42/plan/#comment-310",
    "data": {"event": 5120},
    "created_at": "2026-11-09T09:00:05Z",
    "read_at": None,
}


def response(name: str, value: Any) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True)


def request(name: str, value: Any) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)
