"""Permissions of the incidents app as django-rules predicates."""
