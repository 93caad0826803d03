"""Forms of the training app (crispy-forms, Bootstrap 5)."""
