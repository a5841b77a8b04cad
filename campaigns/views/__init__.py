"""Pages of the campaigns app, by part."""
