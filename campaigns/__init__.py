"""The campaign's whole cycle: the plan, reporting, ranking (filled by the Plans issue onwards)."""
