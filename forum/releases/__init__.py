"""Press releases in the forum's house format, read into a draft report.

- `reader.read_release(file_or_bytes, name)`: the text of an uploaded .txt (UTF-8, with or
  without a byte-order mark, UTF-16 with one, or GB18030) or .docx file, or ReleaseError
  with a message for the editor.
- `parser.parse_release(text)`: a dict of what the release states (forum, edition,
  session, speeches, report, background, media contacts, the press office's details);
  whatever it cannot place becomes a warning in `draft["warnings"]`: it never raises.
- `matching` and `services` match the draft with existing records and write it.

The house format is described in /work/shared/DOMAIN-NOTES.md ("Press releases in the
house format"); the seed release and the demo content made from it are its example.
"""


class ReleaseError(ValueError):
    """A file that cannot be read as a press release; the message is for the editor."""
