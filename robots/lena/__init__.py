"""Lena: nightly resource allocation in home care (hemtjänst); see README.md."""
