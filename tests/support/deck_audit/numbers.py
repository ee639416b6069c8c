"""Danish numbers as the decks print them: "1.234" (thousands), "4,8" (decimal comma),
"+4,8" / "-4,8" / "−4,8" (signed), "57 %", "<5" (hidden below k), "±0"."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: One printed number: optional sign, digits with thousands dots, optional decimals.
NUMBER = r"[+\-−±]?\d{1,3}(?:\.\d{3})*(?:,\d+)?|[+\-−±]?\d+(?:,\d+)?"
HIDDEN = r"<\d+"


@dataclass(frozen=True)
class Printed:
    """A number as printed: its value and how many decimals it shows."""

    value: float
    decimals: int
    signed: bool  # printed with an explicit + or - or ±

    @property
    def step(self) -> float:
        return 10.0 ** -self.decimals


def parse_number(text: str) -> Printed:
    """ "1.234" -> 1234, "4,8" -> 4.8, "−4,8" -> -4.8, "+5" -> 5 (signed)."""
    s = text.strip().replace("\u2212", "-").replace("\xa0", "")
    signed = s[:1] in "+-±"
    sign = -1.0 if s.startswith("-") else 1.0
    s = s.lstrip("+-±")
    whole, _, frac = s.partition(",")
    whole = whole.replace(".", "")
    value = float(f"{whole}.{frac}" if frac else whole)
    return Printed(sign * value, len(frac), signed)


def is_hidden(text: str) -> bool:
    return re.fullmatch(r"\s*<\s*\d+\s*", text) is not None


def printed_equals(printed: Printed, value: float, *, scale: float = 1.0) -> bool:
    """Whether ``value`` (times ``scale``, e.g. 100 for a share shown in %) prints as
    ``printed`` at the printed precision (half a unit of the last digit either way)."""
    return abs(value * scale - printed.value) <= printed.step / 2 + 1e-9


def round_half_up(value: float, decimals: int) -> float:
    """The value as a slide prints it (decimal rounding, halves away from zero)."""
    q = 10 ** decimals
    return (abs(value) * q + 0.5 + 1e-9) // 1 / q * (1 if value >= 0 else -1)
