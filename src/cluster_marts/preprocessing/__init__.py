"""From a raw feature frame to the matrix an algorithm sees.

Input checks, one-hot encoding, scaling (with stored parameters), the
variance filter, PCA / t-SNE and outlier handling.
"""
