"""Page objects for ekonomi, the case system Ronney drives. Async Playwright.

Each page object checks at once that the elements it relies on are there, and raises PageChangedError
when they are not: one clear stop instead of a timeout on every remaining case. An error page from the
system (5xx) is a technical error instead, retried by the engine.
"""
