"""Numbers as the payroll staff write them: decimal comma, no needless decimals."""

from __future__ import annotations


def decimal_sv(value: float, *, min_decimals: int = 1, max_decimals: int = 2) -> str:
    """36 → '36,0'; 32.25 → '32,25'; 34.3333 → '34,33' (rounded half up at `max_decimals`)."""
    scaled = round(abs(value) * 10**max_decimals + 1e-9)
    whole, frac = divmod(scaled, 10**max_decimals)
    digits = f"{frac:0{max_decimals}d}" if max_decimals else ""
    digits = digits.rstrip("0")
    if len(digits) < min_decimals:
        digits = digits.ljust(min_decimals, "0")
    sign = "-" if value < 0 and scaled else ""
    return f"{sign}{whole},{digits}" if digits else f"{sign}{whole}"


def plain_sv(value: float) -> str:
    """A measure or a share without needless decimals: 40 → '40'; 62.5 → '62,5'; 38.25 → '38,25'."""
    return decimal_sv(value, min_decimals=0)


def hours_sv(minutes: int) -> str:
    """Minutes as hours with one or two decimals: 480 → '8,0'; 345 → '5,75'."""
    return decimal_sv(minutes / 60)
