"""Start the test identity provider (tests/sso/idp_project) as a real server
on loopback: its own process (Django's runserver), its own SQLite database
and RSA signing key, stopped when the tests are done."""

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "idp-password-for-tests"


@dataclass
class OidcIdp:
    url: str  # the issuer: what SSO_OIDC_SERVER_URL names
    client_id: str
    client_secret: str
    process: subprocess.Popen

    def app(self, provider_id="example", name="Example Corp", **extra) -> dict:
        """allauth's SOCIALACCOUNT_PROVIDERS entry, as config/sso.py builds it."""
        from config.sso import _oidc_app

        return _oidc_app(
            {
                "id": provider_id,
                "name": name,
                "client_id": self.client_id,
                "secret": self.client_secret,
                "server_url": self.url,
                **extra,
            }
        )


def start(directory: Path, *, redirect_uri: str, users: list[dict]) -> OidcIdp:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = directory / "idp-key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sso.idp_project.settings",
        "IDP_DATABASE": str(directory / "idp.sqlite3"),
        "IDP_RSA_KEY_FILE": str(key_file),
        "PYTHONPATH": str(ROOT),
    }
    spec = {
        "client_id": "practica-client",
        "client_secret": "practica-client-secret-for-tests",
        "redirect_uri": redirect_uri,
        "users": [{"password": PASSWORD, **user} for user in users],
    }
    subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.sso.idp_project.setup", json.dumps(spec)],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    port = free_port()
    log = open(directory / "idp.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "django",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    idp = OidcIdp(
        url=f"http://127.0.0.1:{port}/o",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        process=process,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            answer = requests.get(
                f"{idp.url}/.well-known/openid-configuration", timeout=2
            )
            if answer.ok:
                return idp
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop(idp)
            raise RuntimeError(
                "The test identity provider did not start:\n"
                + (directory / "idp.log").read_text()
            )
        time.sleep(0.2)


def stop(idp: OidcIdp) -> None:
    idp.process.terminate()
    try:
        idp.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        idp.process.kill()
        idp.process.wait(timeout=10)
