"""A SAML 2.0 identity provider for the single sign-on tests, built on
pysaml2's IdP (saml2.server.Server), served on loopback from a thread
(wsgiref). It signs its responses and assertions with a key made for the
test (pysaml2 signs through Debian's xmlsec1 binary)."""

import datetime
import threading
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.conftest import free_port

XMLSEC1 = Path("/usr/bin/xmlsec1")
PASSWORD = "idp-password-for-tests"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


def _key_and_cert(directory: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-idp")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / "idp.key", directory / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


@dataclass
class SamlIdp:
    url: str
    entity_id: str
    sso_url: str
    cert_file: Path
    people: dict = field(default_factory=dict)
    sign_alg: str = RSA_SHA256
    server: object = None
    httpd: object = None
    thread: object = None

    @property
    def x509cert(self) -> str:
        pem = self.cert_file.read_text()
        return "".join(line for line in pem.splitlines() if "-----" not in line)

    def app_settings(self, *, client_id="example", name="Example Corp SAML") -> dict:
        return {
            "client_id": client_id,
            "provider_id": self.entity_id,
            "name": name,
            "settings": {
                "idp": {
                    "entity_id": self.entity_id,
                    "sso_url": self.sso_url,
                    "x509cert": self.x509cert,
                },
                "verified_email": True,
                "use_nameid_for_email": True,
                "advanced": {"want_assertion_signed": True},
            },
        }

    def trust_sp(self, sp_metadata: str) -> None:
        """Load the service provider's metadata (Practica's)."""
        from saml2.server import Server

        self.server = Server(config=self._config(sp_metadata))

    def _config(self, sp_metadata: str):
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.config import IdPConfig
        from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS

        conf = IdPConfig()
        conf.load(
            {
                "entityid": self.entity_id,
                "service": {
                    "idp": {
                        "name": "Example Corp SAML IdP",
                        "endpoints": {
                            "single_sign_on_service": [
                                (self.sso_url, BINDING_HTTP_REDIRECT)
                            ]
                        },
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                        "want_authn_requests_signed": False,
                    }
                },
                "key_file": str(self.cert_file.with_suffix(".key")),
                "cert_file": str(self.cert_file),
                "metadata": {"inline": [sp_metadata]},
                "xmlsec_binary": str(XMLSEC1),
            }
        )
        return conf

    # --- The IdP's two pages: sign-in form, then the response to the SP ----

    def wsgi(self, environ, start_response):
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID

        if environ["REQUEST_METHOD"] == "GET":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            saml_request = escape(query["SAMLRequest"][0])
            relay_state = escape(query.get("RelayState", [""])[0])
            page = (
                "<!doctype html><title>Example Corp SAML sign-in</title>"
                '<form method="post" action="">'
                '<input name="username"><input name="password" type="password">'
                f'<input type="hidden" name="SAMLRequest" value="{saml_request}">'
                f'<input type="hidden" name="RelayState" value="{relay_state}">'
                "<button>Sign in</button></form>"
            )
            start_response("200 OK", [("Content-Type", "text/html")])
            return [page.encode()]
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = {
            k: v[0]
            for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()
        }
        person = self.people.get(form.get("username"))
        if person is None or form.get("password") != PASSWORD:
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"Wrong user name or password"]
        request = self.server.parse_authn_request(
            form["SAMLRequest"], BINDING_HTTP_REDIRECT
        )
        response_args = self.server.response_args(request.message)
        response = self.server.create_authn_response(
            identity={
                "mail": [person["email"]],
                "givenName": [person["first_name"]],
                "sn": [person["last_name"]],
            },
            userid=person["email"],
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=person["email"]),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=True,
            sign_response=True,
            # SHA-1 signatures are refused by Practica (python3-saml's
            # rejectDeprecatedAlgorithm), as they should be.
            sign_alg=self.sign_alg,
            digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
            **response_args,
        )
        http_args = self.server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            response_args["destination"],
            form.get("RelayState", ""),
            response=True,
        )
        start_response("200 OK", [("Content-Type", "text/html")])
        return [http_args["data"].encode()]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def start(directory: Path, people: list[dict]) -> SamlIdp:
    _key_file, cert_file = _key_and_cert(directory)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    idp = SamlIdp(
        url=url,
        entity_id=f"{url}/metadata",
        sso_url=f"{url}/sso",
        cert_file=cert_file,
        people={p["username"]: p for p in people},
    )
    idp.httpd = make_server("127.0.0.1", port, idp.wsgi, handler_class=_Quiet)
    idp.thread = threading.Thread(target=idp.httpd.serve_forever, daemon=True)
    idp.thread.start()
    return idp


def stop(idp: SamlIdp) -> None:
    idp.httpd.shutdown()
    idp.httpd.server_close()
