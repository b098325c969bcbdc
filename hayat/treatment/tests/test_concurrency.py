"""Two receptionists drop two guests on the last place of the pool at the same moment: one gets it."""

from datetime import time, timedelta

import pytest

from hayat.core.errors import Conflict
from hayat.core.tests.concurrency import run_in_parallel
from hayat.treatment import planning, prescriptions
from hayat.treatment.models import PlannedSession, SessionStatus
from hayat.treatment.planning import Move
from hayat.treatment.tests.factories import guest_in_house, make_cabinet


@pytest.mark.django_db(transaction=True)
def test_two_receptionists_taking_the_last_pool_place_get_one_success(clock, today, admin_user, make_user, doctor,
                                                                      pool):
    pool_room = make_cabinet(admin_user, "Pool", [pool], capacity=2)
    receptionists = [make_user("receptionist", user_id=f"desk-{index}") for index in range(2)]
    sessions = []
    for index in range(3):
        booking = guest_in_house(receptionists[0], doctor, start=today, services={pool: 1}, room_name=f"2{index}")
        prescriptions.prescribe_included(by=doctor, booking=booking)
        planning.plan_stay(by=receptionists[0], booking=booking)
        sessions.append(PlannedSession.objects.get(booking=booking))
    tomorrow = today + timedelta(days=1)
    last_place = Move(cabinet=pool_room, day=tomorrow, starts=time(10, 0))
    planning.move_session(by=receptionists[0], session=sessions[0], move=last_place)

    def take_the_last_place(index: int):
        return planning.move_session(by=receptionists[index], session=sessions[index + 1], move=last_place)

    outcomes = run_in_parallel(take_the_last_place, 2)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "PlannedSession"], outcomes
    refused = next(outcome for outcome in outcomes if isinstance(outcome, Conflict))
    assert "no place left" in refused.message
    at_ten = PlannedSession.objects.filter(cabinet=pool_room, day=tomorrow, starts=time(10, 0),
                                           status=SessionStatus.PLANNED)
    assert at_ten.count() == 2
