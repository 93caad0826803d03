"""Models of the kpi app.

POS receipt ingestion, daily store facts, leaderboards and bonus schemes."""
