"""Models of the audits app.

Mystery-shopper checklists, visits, scored reports and corrective actions."""
