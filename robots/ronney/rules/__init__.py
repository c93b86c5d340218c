"""Ronney's rules: pure functions over plain data, no browser and no I/O beyond reading the data files.

Every rule here is tested against hand-worked cases in tests/ronney/. Figures live in `data/`, one file
per year, never in code.
"""
