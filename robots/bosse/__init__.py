"""Bosse: fills vacant substitute shifts overnight within working-time, competence and LAS rules."""
