"""Phone numbers: read any way people write them, stored and compared in E.164."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from phonenumber_field.phonenumber import PhoneNumber, to_python

PHONE_TAKEN_MESSAGE = "An account with this phone number already exists."

# Number types that can never receive a text message.
_NO_SMS_TYPES = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.UAN,
    phonenumbers.PhoneNumberType.VOICEMAIL,
}


def phone_number_normalize(
    value: str | PhoneNumber | None, *, field: str = "phone_number", for_sms: bool = False
) -> str:
    """The number in E.164 (``+14155550123``), read with ``PHONENUMBER_DEFAULT_REGION``.

    ``for_sms`` also refuses numbers that cannot receive text messages (landlines,
    toll-free and premium numbers). Raises ``ValidationError({field: [...]})``.
    """
    if isinstance(value, PhoneNumber):
        number = value
    else:
        raw = str(value or "").strip()
        if not raw:
            raise ValidationError({field: ["This field may not be blank."]})
        number = to_python(raw)
    if not isinstance(number, PhoneNumber) or not number.is_valid():
        raise ValidationError(
            {field: ["Enter a valid phone number, with the country code, e.g. +14155550123."]}
        )
    if for_sms and phonenumbers.number_type(number) in _NO_SMS_TYPES:
        raise ValidationError({field: ["Enter a mobile number that can receive text messages."]})
    return number.as_e164
