"""Reads of the kpi app, scoped with `portal.org.scoping.scope_for(user)`."""
