"""Describing and scoring clusters: profiles, regional tests, scoring new rows, the words that read them."""
