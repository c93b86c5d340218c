"""Ronney prepares applications for försörjningsstöd overnight; a caseworker decides in the morning."""
