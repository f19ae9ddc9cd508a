"""The ring's low-rank E->E input as two dense loops in the standalone binary.

Brian2's summed variables compute the Fourier projection and expansion of the
E->E NMDA input (:mod:`snnmem.connectivity`) one synapse at a time: an index load,
a gather and a scatter-add per term, ``2 N_E M`` terms a step. Here the same sums
run as two dense loops over contiguous arrays, through Brian2
:class:`~brian2.core.functions.Function` objects with C++ implementations called by
``run_regularly`` operations:

1. projection, on the ``M``-cell mode group: at mode 0 the function computes every
   mode, ``P[m] = sum_i B[i, m] s_i`` (cells ``i`` outer, modes inner: each mode adds
   its terms in cell order, as the summed variable did, and the inner loop
   vectorises without reordering a sum); each mode's call returns ``P[m]``, stored
   in the group's ``projection``;
2. expansion, on the E cells: at cell 0 the function computes every cell's input,
   ``S[j] = sum_m C[m, j] P[m]`` (modes outer, cells inner, the summed variable's
   order again), and each cell's call returns ``S[j]``, stored in ``s_nmda_total``.

The I cells take mode 0 (the plain sum, basis 1) through a linked variable.

Every term is added in the order the summed variables added it, so the input is the
same as theirs to the last bit unless the compiler contracts a multiply-add into
one fused instruction in one build and not the other (``-march=native``): the test
compares the two within rounding and their spikes.

The coefficients are run-time values (``nmda_kernel.basis`` and
``nmda_kernel.coupling``, variables of a data-only group), so a compiled ring
reruns with another ``sigma_deg`` or ``j_plus`` without recompiling; the C++ reads
them and the E cells' ``s_nmda`` through the arrays the standalone project declares
(names from ``device.get_array_name``). The loops rely on each operation visiting
cells in index order from 0, which holds for snnmem's single-threaded builds.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["dense_low_rank_nmda", "kernel_values"]

_PROJECT = """
static double {name}_modes[{n_modes}];
double {name}(int mode)
{{
    if (mode == 0)
    {{
        const double* basis = brian::{basis};
        const double* gating = brian::{gating};
        for (int m = 0; m < {n_modes}; m++) {name}_modes[m] = 0.0;
        for (int i = 0; i < {n_exc}; i++)
        {{
            const double s = gating[i];
            const double* row = basis + i * {n_modes};
            for (int m = 0; m < {n_modes}; m++) {name}_modes[m] += row[m] * s;
        }}
    }}
    return {name}_modes[mode];
}}
"""

_EXPAND = """
static double {name}_input[{n_exc}];
double {name}(int cell)
{{
    if (cell == 0)
    {{
        const double* coupling = brian::{coupling};
        const double* projection = brian::{projection};
        for (int j = 0; j < {n_exc}; j++) {name}_input[j] = 0.0;
        for (int m = 0; m < {n_modes}; m++)
        {{
            const double p = projection[m];
            const double* column = coupling + m * {n_exc};
            for (int j = 0; j < {n_exc}; j++) {name}_input[j] += column[j] * p;
        }}
    }}
    return {name}_input[cell];
}}
"""


def kernel_values(coupling: Any) -> dict[str, np.ndarray]:
    """Run-time values of the data group: basis ``[i, m]`` and coupling ``[m, j]``, both flattened."""
    return {
        "nmda_kernel.basis": np.ascontiguousarray(coupling.basis).ravel(),
        "nmda_kernel.coupling": np.ascontiguousarray((coupling.basis * coupling.coefficients).T).ravel(),
    }


def dense_low_rank_nmda(b2: Any, exc: Any, inh: Any, n_modes: int) -> list:
    """Objects computing E->E (Fourier modes) and E->I (mode 0) NMDA input with dense loops.

    ``inh`` must declare ``s_nmda_total : 1 (linked)``; ``exc`` a plain ``s_nmda_total``.
    Standalone only (the functions have no Python implementation).
    """
    n_exc = exc.N
    device = b2.get_device()
    kernel = b2.NeuronGroup(n_exc * n_modes, "basis : 1 (constant)\ncoupling : 1 (constant)", name="nmda_kernel")
    modes = b2.NeuronGroup(n_modes, "projection : 1", name="nmda_modes")

    def array(group, variable):
        return device.get_array_name(group.variables[variable])

    project = _cpp_function(
        b2,
        "snnmem_ring_project",
        _PROJECT,
        n_modes=n_modes,
        n_exc=n_exc,
        basis=array(kernel, "basis"),
        gating=array(exc, "s_nmda"),
    )
    expand = _cpp_function(
        b2,
        "snnmem_ring_expand",
        _EXPAND,
        n_modes=n_modes,
        n_exc=n_exc,
        coupling=array(kernel, "coupling"),
        projection=array(modes, "projection"),
    )
    modes.namespace = {"snnmem_ring_project": project}
    exc.namespace = dict(exc.namespace or {}, snnmem_ring_expand=expand)
    # the slots the summed-variable updaters used: projections, then expansions, then the cells
    projecting = modes.run_regularly(
        "projection = snnmem_ring_project(i)", when="groups", order=-3, name="nmda_project"
    )
    expanding = exc.run_regularly(
        "s_nmda_total = snnmem_ring_expand(i)", when="groups", order=-2, name="nmda_expand_exc"
    )
    inh.s_nmda_total = b2.linked_var(modes, "projection", index=np.zeros(inh.N, dtype=int))
    return [kernel, modes, projecting, expanding]


def _cpp_function(b2: Any, name: str, template: str, **fields: Any) -> Any:
    function = b2.Function(
        _python_placeholder, arg_units=[1], return_unit=1, arg_types=["integer"], return_type="float"
    )
    function.implementations.add_implementation("cpp", template.format(name=name, **fields), name=name)
    return function


def _python_placeholder(index: Any) -> Any:  # pragma: no cover - standalone code only
    raise NotImplementedError("the ring's dense kernel runs in cpp_standalone only (its C++ implementation)")
