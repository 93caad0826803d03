"""Bonus schemes: motivation/demotivation on the store rankings (DOMAIN.md), from a
scheme's set-up to the period's statement, its two approvals and the payroll file."""
