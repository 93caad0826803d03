"""Choices (TextChoices) of the kpi app."""
