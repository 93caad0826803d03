"""Forms of the kpi app (crispy-forms, Bootstrap 5)."""
