"""Template tags of the devices app."""
