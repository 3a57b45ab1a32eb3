"""Settings: base.py for manage.py, gunicorn and ASGI (all from the environment), test.py
for the test suite (base plus cheap test choices). Import one of them, never this package."""
