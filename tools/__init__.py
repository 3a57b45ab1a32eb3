"""What an operator runs, from the project root with the venv's Python
(docs/performance.md, docs/operations.md): `.venv/bin/python -m tools.<name> --help`.

Commands
    bench                 benchmark of the public pages (`make bench`)
    loadtest              load test of a production-style server while an editor publishes
                          (`make loadtest`; loadtest.lua is its wrk script)
    two_instances         two app servers on one PostgreSQL and one Redis (run by .ci/run)
    backup                `backup` and `restore` of the database and the media (disk or bucket)
                          (`make backup`, `make restore FILE=…`)
    check_backup_restore  backup and restore round trip on PostgreSQL and SQLite, and with
                          media in a bucket (.ci/run)
    outages               Redis, object storage and PostgreSQL stopped and started under a
                          running server (.ci/run)
    site_snapshot         fingerprint of a site (pages, rows, media) and comparison of two
    audit                 HTML validation and Lighthouse scores of the pages (`make audit`)
    desk_task             the editor's bilingual task in chromium, counting page loads, clicks
                          and keystrokes (`make desk-task`)

Helpers (imported by the commands and the tests)
    serving               throwaway databases, production-style gunicorn servers, log scans
    admin_client          an HTTP client for the admin and the public pages, form parsing

Standard library, Django and the site's requirements only; nothing here edits sys.path.
"""
