"""Sphinx configuration of the site's documentation (make docs)."""

project = "China Development Forum site"
copyright = "China Development Forum"
author = "China Development Forum"

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
root_doc = "index"

# Links to a page's headings ("languages.md#adding-a-written-language") up to level 3.
myst_heading_anchors = 3
# Unlabelled code blocks are plain text (diagrams, file listings), never guessed as Python.
highlight_language = "none"

# The bundled theme: nothing is fetched from another site when the pages are read.
html_theme = "alabaster"
html_title = "China Development Forum site"
html_static_path = []
