"""Reads of the campaigns app, by part; every one starts from what the user may see."""
