"""Lena's screens in the home-care planning system `hemtjanst`, on the framework's `runner.pages.Screen`."""

SYSTEM = "hemtjanst"
