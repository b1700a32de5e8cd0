"""Stable identities: canonical cluster ids, matching to a previous run, run ids."""
