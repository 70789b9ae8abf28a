"""A throw-away Google service account whose key is made here, for offline tests.

The JSON has the exact shape of a real key file, so `google.oauth2.service_account` signs a
real RS256 JWT with it and posts it to `token_uri` (the emulator's `/token`). The emulator
checks the signature with the public half, so the whole auth path runs for real, offline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DEFAULT_EMAIL = "sheetsync-test@sheetsync-emulator.iam.gserviceaccount.com"


def make_service_account_info(token_uri: str, *, email: str = DEFAULT_EMAIL) -> dict[str, Any]:
    """A service-account dict with a freshly generated 2048-bit RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    project = email.split("@", 1)[1].split(".", 1)[0]
    return {
        "type": "service_account",
        "project_id": project,
        "private_key_id": "emulator-key-1",
        "private_key": pem,
        "client_email": email,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "universe_domain": "googleapis.com",
    }


def write_service_account(path: Path, token_uri: str, *, email: str = DEFAULT_EMAIL) -> dict:
    """Write a fake key file to `path` (mode 600, like a real one) and return its content."""
    info = make_service_account_info(token_uri, email=email)
    path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    path.chmod(0o600)
    return info


def public_key_pem(info: dict[str, Any]) -> bytes:
    """The public half of the key in `info`, which the emulator trusts for JWT checks."""
    key = serialization.load_pem_private_key(info["private_key"].encode("ascii"), password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
