"""Forms of the audits app (crispy-forms, Bootstrap 5)."""
