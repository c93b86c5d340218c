"""Page objects for the staffing system `bemanning`: screens on runner.pages.Screen.

Each screen names the elements it relies on; the framework tells a changed screen (PageChangedError,
the run stops once) from an error page (5xx) and from the login form (the session ended).
"""

from robots.bosse.pages.shifts import SYSTEM, ShiftDetail, ShiftList, ShiftPage, ShiftRow, open_shift, vacant_shifts
from robots.bosse.pages.substitutes import (
    SubstituteDetail,
    SubstituteList,
    SubstitutePage,
    read_substitute,
    substitute_ids,
)

__all__ = [
    "SYSTEM",
    "ShiftDetail",
    "ShiftList",
    "ShiftPage",
    "ShiftRow",
    "SubstituteDetail",
    "SubstituteList",
    "SubstitutePage",
    "open_shift",
    "read_substitute",
    "substitute_ids",
    "vacant_shifts",
]
