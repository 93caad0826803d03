"""Choices (TextChoices) of the incidents app."""
