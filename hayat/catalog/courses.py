"""How many sessions of an included service a stay gets from its tariff: the one rule that booking, the session
board and the bill (through the sessions it counts as included) follow."""

from __future__ import annotations

from hayat.catalog.models import SessionBasis

# What a stay's count of included sessions may reach (the column that keeps it is a small integer).
MOST_SESSIONS = 32767


def included_sessions(*, sessions: int, basis: str, length_days: int | None, days: int) -> int:
    """The sessions of one included service for a stay of `days` nights.

    Per day: `sessions` for each night. A package: all of them for a stay as long as the course or longer (or for a
    tariff of no set length); for a shorter stay the same share of them as of the course's nights, rounded half up
    (36 sessions of a 14-night course give 5 for 2 nights, 18 for 7).
    """
    if days <= 0 or sessions <= 0:
        return 0
    if basis == SessionBasis.PER_DAY:
        return min(sessions * days, MOST_SESSIONS)
    if not length_days or days >= length_days:
        return sessions
    return (2 * sessions * days + length_days) // (2 * length_days)


def is_shorter_than_course(*, length_days: int | None, days: int) -> bool:
    """Whether a stay of `days` nights is shorter than the tariff's course (the wizard warns about it)."""
    return bool(length_days) and days < length_days
