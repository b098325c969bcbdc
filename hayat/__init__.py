"""Hayat: hospital and sanatorium management."""
