"""Kingdee K/3 Cloud's app signature (the algorithm of Kingdee's SDK, erp-k3cloud.md).

Pure functions over strings, so the published test vector pins them down.
"""

import base64
import codecs
import hashlib
import hmac
from urllib.parse import quote

# The SDK's fixed key, stored rot13-encoded there too.
_SDK_KEY_ROT13 = "0054s397p6234378o09pn7q3r5qropr7"


def split_app_id(app_id: str) -> tuple[str, str]:
    """``<clientId>_<32-character blob>`` → (client id, blob)."""
    client_id, _, blob = app_id.partition("_")
    if not client_id or not blob:
        raise ValueError("an app id looks like <clientId>_<blob>")
    return client_id, blob


def client_secret(app_id: str) -> str:
    """base64(XOR(base64-decode(blob), rot13(the SDK key)))."""
    _client_id, blob = split_app_id(app_id)
    data = base64.b64decode(blob)
    key = codecs.decode(_SDK_KEY_ROT13, "rot13").encode()
    mixed = bytes(b ^ key[i % len(key)] for i, b in enumerate(data))
    return base64.b64encode(mixed).decode()


def _hmac_b64_hex(key: str, message: str) -> str:
    digest = hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()
    return base64.b64encode(digest.encode()).decode()


def encoded_path(path: str) -> str:
    """The request path URL-encoded with every ``/`` as ``%2F``."""
    return quote(path, safe="")


def headers(
    *,
    path: str,
    acct_id: str,
    username: str,
    app_id: str,
    app_secret: str,
    lcid: int,
    timestamp: int,
    org: str = "0",
    nonce: str | None = None,
) -> dict[str, str]:
    """Every header of one signed request (``path`` as sent, e.g. /k3cloud/…kdsvc)."""
    client_id, _blob = split_app_id(app_id)
    ts = str(timestamp)
    nonce = nonce or ts
    api_message = (
        f"POST\n{encoded_path(path)}\n\nx-api-nonce:{nonce}\nx-api-timestamp:{ts}\n"
    )
    app_data = f"{acct_id},{username},{lcid},{org}"
    return {
        "X-Api-ClientID": client_id,
        "X-Api-Auth-Version": "2.0",
        "x-api-timestamp": ts,
        "x-api-nonce": nonce,
        "x-api-signheaders": "x-api-timestamp,x-api-nonce",
        "X-Api-Signature": _hmac_b64_hex(client_secret(app_id), api_message),
        "X-Kd-Appkey": app_id,
        "X-Kd-Appdata": base64.b64encode(app_data.encode()).decode(),
        "X-Kd-Signature": _hmac_b64_hex(app_secret, app_id + app_data),
    }
