"""Rich text for report bodies: one list of editor features, which is also the allow-list.

django-prose-editor derives its nh3 sanitiser from the same extensions, so what an editor
can produce is exactly what survives sanitising.
"""

RICH_TEXT_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}
