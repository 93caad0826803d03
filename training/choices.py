"""Choices (TextChoices) of the training app."""
