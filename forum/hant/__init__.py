"""Derived languages: Traditional Chinese converted from Simplified, with editors' overrides.

Every translated field has a column in each derived language (forum/core/languages.py
`DERIVED`); nobody types in it. On every save of a translated model the column is
converted from its source column (forum/core/scripts.py), unless an editor overrode that
field (TraditionalOverride); site-wide term overrides (TermOverride) steer the conversion
itself. The admin shows the overrides beside the converted text, and flags the ones whose
source text changed since.
"""
