"""Episodes sharing a prototype, and the instance-versus-prototype measure of recall."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snnmem.analysis.concepts import block_weights, cosine_similarity, instance_prototype_similarity, prototype_episodes


@settings(max_examples=30, deadline=None)
@given(
    n_episodes=st.integers(1, 8),
    size=st.integers(2, 60),
    shared_fraction=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**31 - 1),
)
def test_episodes_share_exactly_the_prototype(n_episodes, size, shared_fraction, seed):
    episodes, prototype = prototype_episodes(1000, n_episodes, size, shared_fraction, seed)
    shared = int(round(shared_fraction * size))
    assert episodes.shape == (n_episodes, 1000) and episodes.dtype == bool
    assert (episodes.sum(axis=1) == size).all() and prototype.sum() == shared
    assert (episodes[:, prototype]).all()  # the prototype is in every episode
    specific = episodes & ~prototype
    assert (specific.sum(axis=0) <= 1).all()  # no specific cell in two episodes
    again = prototype_episodes(1000, n_episodes, size, shared_fraction, seed)
    assert np.array_equal(again[0], episodes) and np.array_equal(again[1], prototype)


def test_exact_instance_and_exact_prototype_give_the_documented_values():
    episodes, prototype = prototype_episodes(500, 4, 40, 0.25, seed=1)
    root_f = np.sqrt(10 / 40)
    instance = instance_prototype_similarity(episodes[2].astype(float), episodes[2], prototype)
    assert instance["instance_similarity"] == pytest.approx(1.0)
    assert instance["prototype_similarity"] == pytest.approx(root_f)
    assert instance["semantisation_index"] == pytest.approx(root_f - 1.0)
    concept = instance_prototype_similarity(prototype.astype(float), episodes[2], prototype)
    assert concept["prototype_similarity"] == pytest.approx(1.0)
    assert concept["semantisation_index"] == pytest.approx(1.0 - root_f)
    other = instance_prototype_similarity((episodes[0] & ~prototype).astype(float), episodes[2], prototype)
    assert other["instance_similarity"] == pytest.approx(0.0) and other["prototype_similarity"] == pytest.approx(0.0)


def test_cosine_similarity_of_silence_is_zero_and_shapes_are_checked():
    assert cosine_similarity(np.zeros(5), np.eye(5)).tolist() == [[0.0] * 5]
    with pytest.raises(ValueError, match="cells"):
        cosine_similarity(np.ones(4), np.eye(5))


@pytest.mark.parametrize(
    "args, message",
    [
        ((100, 4, 40, 0.1, 1), "need"),  # 4 + 4 * 36 = 148 cells > 100
        ((100, 2, 10, 1.5, 1), "shared_fraction"),
        ((100, 0, 10, 0.5, 1), "n_episodes"),
    ],
)
def test_bad_generator_arguments_name_themselves(args, message):
    with pytest.raises(ValueError, match=message):
        prototype_episodes(*args)


@settings(max_examples=30, deadline=None)
@given(n_cells=st.integers(2, 30), n_synapses=st.integers(0, 200), seed=st.integers(0, 2**31 - 1))
def test_block_weights_are_the_mean_over_the_synapses_between_two_sets(n_cells, n_synapses, seed):
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, n_cells, n_synapses), rng.integers(0, n_cells, n_synapses)
    w = rng.uniform(0, 10, n_synapses)
    sets = rng.random((3, n_cells)) < 0.4
    blocks = block_weights(i, j, w, sets, sets)
    assert blocks.shape == (3, 3)
    for a in range(3):
        for b in range(3):
            joined = sets[a][i] & sets[b][j]  # a plain loop over the synapses
            if joined.any():
                assert blocks[a, b] == pytest.approx(w[joined].mean())
            else:
                assert np.isnan(blocks[a, b])


def test_block_weights_refuse_synapses_outside_the_sets():
    with pytest.raises(ValueError, match="beyond"):
        block_weights([0, 5], [1, 1], [1.0, 1.0], np.ones((1, 3), bool), np.ones((1, 3), bool))
    with pytest.raises(ValueError, match="one length"):
        block_weights([0, 1], [1], [1.0, 1.0], np.ones((1, 3), bool), np.ones((1, 3), bool))
