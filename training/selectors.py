"""Reads of the training app, scoped with `portal.org.scoping.scope_for(user)`."""
