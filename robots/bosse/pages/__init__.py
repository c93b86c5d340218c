"""Page objects for the staffing system `bemanning` (async Playwright).

Each checks for the elements it depends on right after the page has loaded (no waiting: a server-
rendered page is complete when it has loaded) and raises PageChangedError when one is missing, so a
changed screen stops the run at once instead of timing out on every shift.
"""

from robots.bosse.pages.common import SYSTEM
from robots.bosse.pages.shifts import ShiftDetail, ShiftList, ShiftPage, ShiftRow
from robots.bosse.pages.substitutes import SubstituteDetail, SubstituteList, SubstitutePage

__all__ = [
    "SYSTEM",
    "ShiftDetail",
    "ShiftList",
    "ShiftPage",
    "ShiftRow",
    "SubstituteDetail",
    "SubstituteList",
    "SubstitutePage",
]
