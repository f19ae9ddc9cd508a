"""Sphinx configuration: the user guide (Markdown, MyST) and the API reference from the numpy-style docstrings.

Build from the repository root (warnings are errors; CI runs it)::

    sphinx-build -W --keep-going -c docs -b html . docs/_build/html

The source folder is the repository root, not ``docs/``, so that the README, the guides
and the committed benchmark reports are read where they live and every relative link
between them resolves on the site exactly as it does on the repository's web page; only
the files named in ``include_patterns`` are read.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from snnmem import __version__  # noqa: E402

project = "snnmem"
author = "snnmem developers"
copyright = "2026, snnmem developers"  # noqa: A001
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "docs/index"
include_patterns = ["README.md", "docs/*.md", "docs/api/*.md", "benchmarks/*.md"]
exclude_patterns = ["docs/_build", ".venv", ".ci-cache"]
# the site's front page is the root document: index.html at the top of the build points to it
html_extra_path = ["_static_root"]  # relative to this folder

# numpy-style docstrings (the project's convention), read by napoleon
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_preprocess_types = True
# headings several module docstrings share: rubrics, not sections (sections would give
# every page the same implicit labels)
napoleon_custom_sections = ["Network", "Scores", "Protocol"]
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"

myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]

html_theme = "alabaster"
html_title = f"snnmem {release}"
