"""Traits planted on top of the demo's personas, each drawn from its own random stream.

A trait changes one attribute of the orders of a chosen set of customers and
nothing else: the main stream of :func:`cluster_marts.demo.customers_orders.build_orders`
draws exactly what it drew without the trait, so every other planted result
(personas, drift, amounts, timing) stays as it was.

* **Category specialists** (:func:`category_specialists`): a share
  (:data:`SPECIALIST_SHARE`, 25 %) of the repeat customers buys every order
  from one favourite category, drawn from their persona's mix; everyone else
  keeps the categories of their persona's mix. The ``category_breadth`` axis
  (distinct categories, entropy of the category shares) is meant to find them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["SPECIALIST_SHARE", "SPECIALIST_STREAM", "category_specialists", "specialise"]

SPECIALIST_SHARE = 0.25
#: the second word of the trait's seed, ``default_rng([seed, SPECIALIST_STREAM])``
SPECIALIST_STREAM = 13


def category_specialists(personas: np.ndarray, seed: int,
                         draw_category: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Which customers are category specialists, and each customer's favourite category.

    Parameters
    ----------
    personas : ndarray of str
        Each customer's persona; ``one_time`` customers are never specialists.
    seed : int
        The demo's seed; the trait's stream is ``[seed, SPECIALIST_STREAM]``.
    draw_category : callable
        Uniforms in [0, 1), one per customer -> a category index from that customer's persona mix.

    Returns
    -------
    is_specialist : ndarray of bool
    favourite : ndarray of int
        A category index for every customer (used for the specialists only).
    """
    rng = np.random.default_rng([seed, SPECIALIST_STREAM])
    is_specialist = (personas != "one_time") & (rng.random(personas.size) < SPECIALIST_SHARE)
    return is_specialist, draw_category(rng.random(personas.size))


def specialise(category: np.ndarray, owner: np.ndarray, is_specialist: np.ndarray,
               favourite: np.ndarray) -> np.ndarray:
    """Order categories with every specialist's orders set to their favourite category.

    Examples
    --------
    >>> specialise(np.array([0, 1, 2, 3]), np.array([0, 0, 1, 1]), np.array([False, True]), np.array([5, 4]))
    array([0, 1, 4, 4])
    """
    return np.where(is_specialist[owner], favourite[owner], category)
