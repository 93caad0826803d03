"""Permissions of the training app as django-rules predicates."""
