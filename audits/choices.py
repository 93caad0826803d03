"""Choices (TextChoices) of the audits app."""
