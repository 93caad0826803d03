"""Permissions of the audits app as django-rules predicates."""
