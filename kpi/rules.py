"""Permissions of the kpi app as django-rules predicates."""
