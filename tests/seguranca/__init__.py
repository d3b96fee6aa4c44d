"""Hostile input and dependency outages at the edge: 4xx or 503, never a 500."""
