"""Gazetteer data files (CSV) and the script that rebuilds them."""
