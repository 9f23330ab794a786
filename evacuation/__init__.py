"""evacuation."""
