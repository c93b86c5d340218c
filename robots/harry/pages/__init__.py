"""Page objects for the two systems HaRry drives: `schema` (export) and `personal` (payroll). Async Playwright.

Each page object checks at once that the elements it relies on are there and raises PageChangedError
when they are not: one clear stop instead of a timeout on every remaining schedule. A 5xx error page
is a technical error instead (SystemUnavailableError), which the engine retries.
"""
