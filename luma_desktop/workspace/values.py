"""Value rules shared by every domain: money, phones, IBANs, human references, local time."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from ..errors import Invalid

__all__ = [
    "format_money",
    "iban_is_valid",
    "is_email",
    "line_amounts",
    "local_day_bounds",
    "new_confirmation_code",
    "normalise_iban",
    "normalise_phone",
    "numbered_reference",
    "to_minor",
    "zone",
]

_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "CHF": "CHF "}
# Letters and digits that cannot be misread when spoken or typed (no 0/O, 1/I/L).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def zone(name: str) -> ZoneInfo:
    """The IANA timezone ``name``; a clear error for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"“{name}” is not a timezone I know.", field="timezone") from exc


def to_minor(amount: Decimal | int | float | str) -> int:
    """A major-unit amount ("12.50") in integer minor units (1250), rounded half-up."""
    try:
        value = Decimal(str(amount))
    except ArithmeticError as exc:
        raise Invalid(f"“{amount}” is not an amount of money.", field="amount") from exc
    if not value.is_finite():
        raise Invalid(f"“{amount}” is not an amount of money.", field="amount")
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_money(amount_minor: int, currency: str) -> str:
    """Human money: ``format_money(-125050, "GBP") == "-£1,250.50"``."""
    sign = "-" if amount_minor < 0 else ""
    major, minor = divmod(abs(amount_minor), 100)
    symbol = _CURRENCY_SYMBOLS.get(currency.upper())
    body = f"{major:,}.{minor:02d}"
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{body} {currency.upper()}"


def line_amounts(quantity: Decimal, unit_price_minor: int, vat_rate_bp: int) -> tuple[int, int]:
    """Net and VAT of an invoice line in minor units, each rounded half-up once."""
    if quantity <= 0:
        raise Invalid("A line needs a quantity above zero.", field="quantity")
    if not 0 <= vat_rate_bp <= 10_000:
        raise Invalid("A VAT rate must be between 0% and 100%.", field="vat_rate")
    net = (quantity * unit_price_minor).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    vat = (net * vat_rate_bp / Decimal(10_000)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(net), int(vat)


_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def is_email(text: str) -> bool:
    """Whether ``text`` is an e-mail address (at most 200 characters)."""
    return len(text) <= 200 and _EMAIL.match(text) is not None


def normalise_phone(raw: str, default_region: str = "GB") -> str:
    """A phone number in E.164 (+447700900123); ``Invalid`` when it is not a real number."""
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise Invalid(f"“{raw}” is not a phone number I can use.", field="phone") from exc
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise Invalid(f"“{raw}” is not a valid phone number.", field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_iban(raw: str) -> str:
    """An IBAN without spaces, upper case, checked (ISO 13616 mod-97); ``Invalid`` otherwise."""
    iban = "".join(raw.split()).upper()
    if not iban_is_valid(iban):
        raise Invalid(f"“{raw}” is not a valid IBAN (the check digits do not match).", field="iban")
    return iban


def iban_is_valid(iban: str) -> bool:
    """True when ``iban`` (compact, upper case) has a valid shape and mod-97 checksum."""
    if not 15 <= len(iban) <= 34 or not iban.isalnum() or not iban[:2].isalpha():
        return False
    if not iban[2:4].isdigit():
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def new_confirmation_code(length: int = 6) -> str:
    """A random code that is easy to read aloud (no 0/O or 1/I/L)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def numbered_reference(prefix: str, number: int, width: int = 4) -> str:
    """``numbered_reference("INV-", 42) == "INV-0042"``."""
    return f"{prefix}{number:0{width}d}"


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The start and end (exclusive) of ``day`` in ``tz``, as aware datetimes."""
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end
