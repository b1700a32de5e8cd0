"""Clustering algorithms: one registry, one result shape.

k-means, Gaussian mixtures, fuzzy c-means, agglomerative, spectral,
density-based methods and the autoencoder + k-means method.
"""
