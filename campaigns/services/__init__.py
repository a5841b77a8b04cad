"""Writes of the campaigns app, by part: plan (authoring, publishing) and importing."""
