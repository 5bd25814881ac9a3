"""Two verifications of one code give exactly one success.

PostgreSQL serializes them on the code's row (``select_for_update``); on any database
the code is spent by one conditional ``UPDATE ... WHERE used_at IS NULL``, which only
one verification can win. The first test races real threads; the second replays the
losing interleaving deterministically.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connections

from users import services
from users.models import OtpCode
from users.services import otp as otp_services

from .conftest import PHONE, last_code


def _verify_like_a_client(code: str):
    """One verification; a "database is locked" (SQLite's in-memory test database cannot
    wait for a lock) is retried, as a client would retry a failed request."""
    for _ in range(200):
        try:
            return services.otp_verify(phone_number=PHONE, code=code)
        except ValidationError as exc:
            return exc
        except OperationalError:
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_concurrent_verifications_of_one_code_give_one_success(register):
    user = register()
    code = last_code()
    contenders = 4
    barrier = threading.Barrier(contenders)
    outcomes: list[object] = []
    lock = threading.Lock()

    def contender():
        try:
            barrier.wait(timeout=10)
            outcome = _verify_like_a_client(code)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=contender) for _ in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    losers = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert [winner.pk for winner in winners] == [user.pk]
    assert len(losers) == contenders - 1
    assert all(loser.message_dict == {"code": [services.INVALID_CODE_MESSAGE]} for loser in losers)
    assert OtpCode.objects.filter(used_at__isnull=False).count() == 1


def test_a_verification_that_loses_the_race_to_spend_the_code_is_refused(register, monkeypatch):
    user = register()
    code = last_code()
    real_claim = otp_services._otp_claim
    raced = []

    def claim_after_a_rival(*, otp_id, now):
        # Between our read of the code and our UPDATE, a rival verification spends it.
        if not raced:
            raced.append(OtpCode.objects.filter(pk=otp_id).update(used_at=now))
        return real_claim(otp_id=otp_id, now=now)

    monkeypatch.setattr(otp_services, "_otp_claim", claim_after_a_rival)

    with pytest.raises(ValidationError) as excinfo:
        services.otp_verify(phone_number=PHONE, code=code)

    assert raced == [1]
    assert excinfo.value.message_dict == {"code": [services.INVALID_CODE_MESSAGE]}
    user.refresh_from_db()
    assert not user.is_active  # the loser activated nothing
