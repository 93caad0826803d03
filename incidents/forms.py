"""Forms of the incidents app (crispy-forms, Bootstrap 5)."""
