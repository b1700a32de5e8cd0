"""Choosing k: one grid with every criterion per k, and the rules that pick one.

Silhouette (sampled, seeded), inertia and its knee, Calinski-Harabasz,
Davies-Bouldin, the gap statistic, balance; the rules silhouette, elbow, gap,
vote, balanced and fixed; subdivision of large segments.
"""
