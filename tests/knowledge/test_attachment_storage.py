"""Where attachments are stored, read in a fresh interpreter so the
environment decides, as on a server: a local folder outside the static
files by default; an S3-compatible private bucket when configured."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "attachments": settings.STORAGES["attachments"],
    "static_root": str(settings.STATIC_ROOT),
}, default=str))
"""


def probe(module, **env):
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ATTACHMENTS_", "MEDIA_"))
    }
    environ.update(
        DJANGO_SETTINGS_MODULE=module,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.com",
        REDIS_URL="redis://127.0.0.1:6379/0",
        **env,
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_by_default_a_local_folder_with_no_public_url():
    for module in ("config.settings.local", "config.settings.production"):
        found = probe(module, MEDIA_ROOT="/srv/practica-media")
        storage = found["attachments"]
        assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
        assert storage["OPTIONS"]["location"] == "/srv/practica-media/attachments"
        assert not storage["OPTIONS"]["location"].startswith(found["static_root"])


def test_s3_compatible_storage_by_configuration():
    found = probe(
        "config.settings.production",
        ATTACHMENTS_STORAGE="s3",
        ATTACHMENTS_S3_BUCKET="practica-files",
        ATTACHMENTS_S3_ENDPOINT_URL="https://s3.example.com",
    )["attachments"]
    assert found["BACKEND"] == "storages.backends.s3.S3Storage"
    options = found["OPTIONS"]
    assert options["bucket_name"] == "practica-files"
    assert options["endpoint_url"] == "https://s3.example.com"
    # Private: no public-read ACL; any URL the bucket gives is signed.
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False
