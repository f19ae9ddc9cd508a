"""Recall analysis of spiking networks: numba kernels on plain numpy arrays.

numpy arrays in, numpy arrays out; no Brian2 import, so it also scores spikes
that came from NEST, recordings or another lab's files. Spikes use the run-file
layout: ``node_ids`` (integers, typically uint32), ``timestamps`` (float64
seconds), ``n_neurons``, and windows in seconds. Every kernel has a plain-numpy
twin in :mod:`snnmem.analysis.reference`.

Modules
-------
binning     spike counts and rates per neuron, group and population
decoding    population-vector angle of a ring, circular distance
overlaps    pattern overlaps (+-1 and 0/1 coding), correlation, completion, recalled pattern
distances   van Rossum and Victor-Purpura distance matrices (Elephant's normalisation)
ring        ring-attractor bump scores and rate maps
assemblies  cell assemblies: within/between weight classes and ratios, set overlaps
memory      memory maps and the shared score vocabulary (item rates, items held, completion)
replay      population bursts and the stored pattern each reactivates (replay events)
concepts    episodes sharing a prototype; recall's similarity to the instance and to the prototype
reference   plain-numpy references (the tests' oracle)
"""

from __future__ import annotations

from .binning import bin_spikes, group_rates, neuron_rates, population_rate
from .decoding import circular_distance, population_vector_angle
from .distances import van_rossum_matrix, victor_purpura_matrix
from .overlaps import (
    binary_state,
    completion_correlation,
    overlap_01,
    overlap_pm1,
    pattern_correlation,
    recalled_pattern,
    spike_overlaps,
)
from .bump_dynamics import bump_course, centre_track, fit_diffusion, msd_curve
from .ring import preferred_angles, ring_bump_scores, ring_rate_map

__all__ = [
    "bin_spikes",
    "neuron_rates",
    "group_rates",
    "population_rate",
    "population_vector_angle",
    "circular_distance",
    "overlap_pm1",
    "overlap_01",
    "pattern_correlation",
    "completion_correlation",
    "recalled_pattern",
    "binary_state",
    "spike_overlaps",
    "van_rossum_matrix",
    "victor_purpura_matrix",
    "ring_bump_scores",
    "bump_course",
    "centre_track",
    "msd_curve",
    "fit_diffusion",
    "ring_rate_map",
    "preferred_angles",
]
