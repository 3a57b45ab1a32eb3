import ast
import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

BASE_DIR = Path(__file__).resolve().parents[2]
CATALOGUE = BASE_DIR / "cdfsite" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_project_has_no_missing_migrations():
    output = StringIO()
    # Exits with status 1 (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    assert "No changes detected" in output.getvalue()


def test_chinese_catalogue_compiles():
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [msgfmt, "--check-format", "-o", os.devnull, str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def po_entries(path):
    """(flags, msgctxt, msgid, msgstrs) for each live entry of a .po file, header excluded."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags, fields, current = set(), {}, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line:
                continue  # comments, references and obsolete (#~) entries
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _space, value = line.partition(" ")
                fields[current] = ast.literal_eval(value)
        if fields.get("msgid"):
            msgstrs = [value for key, value in fields.items() if key.startswith("msgstr")]
            entries.append((flags, fields.get("msgctxt"), fields["msgid"], msgstrs))
    return entries


def test_chinese_catalogue_has_entries():
    assert len(po_entries(CATALOGUE)) > 50


def test_chinese_catalogue_has_no_fuzzy_entries():
    fuzzy = [msgid for flags, _ctx, msgid, _strs in po_entries(CATALOGUE) if "fuzzy" in flags]
    assert fuzzy == []


def test_chinese_catalogue_has_no_untranslated_entries():
    untranslated = [
        msgid for _flags, _ctx, msgid, msgstrs in po_entries(CATALOGUE) if not all(msgstrs)
    ]
    assert untranslated == []


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Authors", "撰稿"),
        ("Reviewer", "审核"),
        ("China Development Forum", "中国发展高层论坛"),
    ],
)
def test_chinese_translation_of_key_string(message, expected):
    with translation.override("zh-hans"):
        assert translation.gettext(message) == expected


def test_settings_refuse_to_start_without_secret_key_in_production():
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "SECRET_KEY",
            "DEBUG",
            "PYTEST_CURRENT_TEST",
            "PYTEST_ADDOPTS",
            "PYTEST_VERSION",
        }
    }
    env.update({"DEBUG": "false", "DJANGO_SETTINGS_MODULE": "cdfsite.settings.base"})
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [
            sys.executable,
            "-c",
            "import sys; assert 'pytest' not in sys.modules; import django; django.setup()",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_settings_start_with_secret_key_in_production():
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-key-for-the-test",
            "DJANGO_SETTINGS_MODULE": "cdfsite.settings.base",
        }
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG)",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# --- Settings package: base.py for manage.py and gunicorn, test.py for the suite ---------

SETTINGS_DIR = BASE_DIR / "cdfsite" / "settings"
PRODUCTION_DEFAULTS_SCRIPT = (
    "import json, pytest, django; django.setup(); "
    "from django.conf import settings as s; print(json.dumps({"
    "'hashers': s.PASSWORD_HASHERS[0], 'cache': s.CACHES['default']['BACKEND'], "
    "'page_cache': s.PAGE_CACHE_ENABLED, 'page_cache_timeout': s.PAGE_CACHE_TIMEOUT, "
    "'axes': s.AXES_ENABLED, 'static': s.STORAGES['staticfiles']['BACKEND']}))"
)


def test_settings_do_not_branch_on_how_the_process_was_started():
    """No settings module looks at sys.modules, pytest or a TESTING variable: the suite's
    choices live in cdfsite/settings/test.py, chosen by DJANGO_SETTINGS_MODULE."""
    offending = []
    for path in sorted(SETTINGS_DIR.glob("*.py")):
        # test.py may say that pytest uses it; nothing else may even name pytest.
        words = ("sys.modules", "TESTING") + (() if path.name == "test.py" else ("pytest",))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(word in line for word in words):
                offending.append(f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()}")
    assert {"base.py", "test.py"} <= {path.name for path in SETTINGS_DIR.glob("*.py")}
    assert offending == []


def test_base_settings_give_production_defaults_even_with_pytest_imported():
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "PAGE_CACHE", "PAGE_CACHE_TIMEOUT", "AXES_ENABLED", "REDIS_URL"}
    }
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-key-for-the-test",
            "DJANGO_SETTINGS_MODULE": "cdfsite.settings.base",
            "REDIS_URL": "redis://127.0.0.1:6379/0",  # only named: nothing connects
        }
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", PRODUCTION_DEFAULTS_SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "hashers": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "cache": "forum.core.cache.ResilientRedisCache",
        "page_cache": True,
        "page_cache_timeout": 24 * 3600,
        "axes": True,
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }


def test_test_settings_make_the_suites_cheap_choices(settings):
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "cdfsite.settings.test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.CACHES["default"]["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    assert settings.DEBUG is False
    assert settings.BASE_DIR == BASE_DIR
    assert settings.LOCALE_PATHS == [BASE_DIR / "cdfsite" / "locale"]


def test_test_settings_ignore_redis_and_lend_no_secret_key_to_subprocesses():
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "DEBUG", "PAGE_CACHE", "PAGE_CACHE_TIMEOUT", "AXES_ENABLED"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cdfsite.settings.test",
            "REDIS_URL": "redis://127.0.0.1:6379/0",  # only named: nothing connects
        }
    )
    script = PRODUCTION_DEFAULTS_SCRIPT.replace(
        "'static':", "'secret_key_in_environ': 'SECRET_KEY' in __import__('os').environ, 'static':"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "hashers": "django.contrib.auth.hashers.MD5PasswordHasher",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "page_cache": False,
        "page_cache_timeout": 60,
        "axes": False,
        "secret_key_in_environ": False,
        "static": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
