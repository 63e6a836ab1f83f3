"""A stored score in plain words, in the reader's language.

The scoring module returns keys and numbers; this module turns them into the sentences the
pages show: what each signal gave, what would raise the score, why a figure is hidden, and
a one-paragraph summary of a partnership's eight practices.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from health.models import Group

GROUP_NAMES = {
    Group.CITY: Group.CITY.label,
    Group.ENTREPRENEURS: Group.ENTREPRENEURS.label,
    Group.BENEFICIARIES: Group.BENEFICIARIES.label,
}


def _n(value: float) -> int:
    return round(value)


def signal_sentence(key: str, achieved: float, possible: float) -> str:
    """What a signal measured, with its numbers."""
    a, p = _n(achieved), _n(possible)
    sentences = {
        "participants_invited": lambda: ngettext(
            "%(a)s beneficiary takes part (3 or more count in full).",
            "%(a)s beneficiaries take part (3 or more count in full).",
            a,
        ),
        "beneficiaries_present": lambda: _(
            "A beneficiary was present at %(a)s of %(p)s check-ins held."
        ),
        "comments_answered": lambda: _("%(a)s of %(p)s comments got an answer."),
        "responsibilities_shared": lambda: _(
            "%(a)s of %(p)s parties (the city and the partner organizations) hold a responsibility."
        ),
        "responsibilities_even": lambda: _(
            "How evenly the responsibilities are spread across the parties."
        ),
        "other_partners": lambda: _(
            "%(a)s partner organizations besides the lead (2 count in full)."
        ),
        "partners_added": lambda: (
            _("A partner joined in the last year.")
            if a
            else _("No partner joined in the last year.")
        ),
        "indicators_fresh": lambda: _(
            "%(a)s of %(p)s indicators were measured in the last 90 days."
        ),
        "experiments_decided": lambda: _(
            "%(a)s of %(p)s finished experiments ended with a decision."
        ),
        "levers_used": lambda: _(
            "%(a)s different levers named in progress updates this year (4 count in full)."
        ),
        "checkins_on_time": lambda: _("%(a)s of %(p)s check-ins due this year were held on time."),
        "needs_stated": lambda: (
            _("A financial need has been stated.") if a else _("No financial need has been stated.")
        ),
        "needs_discussed": lambda: _("%(a)s of %(p)s financial needs were revisited this year."),
        "milestones_kept": lambda: _(
            "%(a)s of %(p)s responsibilities due this year were done by their date."
        ),
        "values_agreed": lambda: _("%(a)s of %(p)s parties agreed to the current shared values."),
    }
    make = sentences.get(key)
    if make is None:
        return key
    return make() % {"a": a, "p": p}


def raise_sentence(key: str) -> str:
    """What would raise the score, for a signal short of its points."""
    sentences = {
        "participants_invited": _("Invite more of the people you serve to take part."),
        "beneficiaries_present": _("Bring beneficiaries to the check-ins."),
        "comments_answered": _("Answer the open comments: say what you did with them."),
        "responsibilities_shared": _("Give every partner, the city too, a responsibility."),
        "responsibilities_even": _("Spread the work: one party holds most of it."),
        "other_partners": _("Bring in another organization that can help."),
        "partners_added": _("Look for a new partner to join this year."),
        "indicators_fresh": _("Record new measurements for the indicators gone quiet."),
        "experiments_decided": _("Decide on the finished experiments: adopt, adapt or abandon."),
        "levers_used": _("Try another lever: policy, data, procurement, training, a standard."),
        "checkins_on_time": _("Hold the next check-ins on their date."),
        "needs_stated": _("State openly what sustaining the work costs."),
        "needs_discussed": _("Revisit the financial needs with the partners."),
        "milestones_kept": _(
            "Finish responsibilities by their date, or move the date before it passes."
        ),
        "values_agreed": _("Ask every party to agree to the current shared values."),
    }
    return sentences.get(key, key)


def hidden_sentence(figure: Mapping[str, Any], threshold: int) -> str:
    """Why a group's figure (or the overall one) is not shown."""
    reason = figure.get("hidden")
    if reason == "few":
        return ngettext(
            "Hidden: fewer than %(k)s person answered.",
            "Hidden: fewer than %(k)s people answered.",
            threshold,
        ) % {"k": threshold}
    if reason == "subtraction":
        protected = figure.get("protects")
        return _(
            "Hidden: shown, it would let anyone work out the answers of %(group)s, who are "
            "too few to show."
        ) % {"group": _group_name(protected)}
    if reason == "rounds":
        return _(
            "Hidden: only a few people joined or left since the last round, so comparing the "
            "two rounds would reveal their answers."
        )
    return ""


def _group_name(group: str | None) -> str:
    if group is None:
        return ""
    return str(GROUP_NAMES.get(Group(group), group)).lower()


@dataclass(frozen=True)
class Line:
    practice: str
    combined: int | None
    spread: int | None
    spread_between: Sequence[str] | None


def summary(lines: Sequence[Line], names: Mapping[str, str]) -> str:
    """One paragraph: the strongest practice, the one that needs care, the widest gap."""
    scored = [line for line in lines if line.combined is not None]
    if not scored:
        return _(
            "There is not enough yet to score the practices: hold check-ins, record what you "
            "do, and run a survey round."
        )
    parts = []
    best = max(scored, key=lambda line: line.combined or 0)
    worst = min(scored, key=lambda line: line.combined or 0)
    parts.append(
        _("Strongest: %(practice)s (%(score)s).")
        % {"practice": names[best.practice], "score": best.combined}
    )
    if worst.practice != best.practice:
        parts.append(
            _("Needs care: %(practice)s (%(score)s).")
            % {"practice": names[worst.practice], "score": worst.combined}
        )
    split = [line for line in lines if line.spread is not None and line.spread_between]
    if split:
        widest = max(split, key=lambda line: line.spread or 0)
        if (widest.spread or 0) >= 15 and widest.spread_between:
            high, low = widest.spread_between
            parts.append(
                _("%(high)s and %(low)s see %(practice)s most differently (%(gap)s points apart).")
                % {
                    "high": str(GROUP_NAMES[Group(high)]),
                    "low": _group_name(low),
                    "practice": names[widest.practice],
                    "gap": widest.spread,
                }
            )
    return " ".join(parts)
