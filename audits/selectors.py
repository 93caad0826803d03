"""Reads of the audits app, scoped with `portal.org.scoping.scope_for(user)`."""
