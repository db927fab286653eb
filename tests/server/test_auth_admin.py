"""Login, refresh rotation, throttling, device revocation (wipe), the admin CLI, attachments."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.server.conftest import Server
from tests.server.laptop import Laptop, new_id


def test_login_me_and_refresh_rotation(server: Server) -> None:
    account = server.account(server.team())
    laptop = Laptop(server, account)
    me = laptop.get("/api/v1/me").json()
    assert me["user"]["username"] == account.username
    assert me["user"]["team_name"] == account.team and me["device_id"] == laptop.device_id
    with server.client() as http:
        bad = http.post("/api/v1/auth/login", json={"username": account.username,
                                                    "password": "fout-wachtwoord",
                                                    "device_name": "x"},
                        headers={"X-Forwarded-For": "10.1.1.1"})
        assert bad.status_code == 401 and bad.json()["code"] == "invalid_credentials"
        assert http.get("/api/v1/me").status_code == 401
        assert http.get("/api/v1/me", headers={"Authorization": "Bearer x.y"}).status_code == 401
        first = laptop.refresh
        rotated = http.post("/api/v1/auth/refresh", json={"refresh_token": first})
        assert rotated.status_code == 200
        tokens = rotated.json()
        assert tokens["refresh_token"] != first and tokens["device_id"] == laptop.device_id
        assert http.get("/api/v1/me", headers={
            "Authorization": f"Bearer {tokens['access_token']}"}).status_code == 200
        # A spent refresh token presented again: someone copied it. Everything is revoked.
        reused = http.post("/api/v1/auth/refresh", json={"refresh_token": first})
        assert reused.status_code == 401 and reused.json()["code"] == "refresh_reused"
        later = http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert later.status_code == 401
    # Logging in again with the same device id keeps the registration and its sequence.
    laptop.new_household()
    laptop.push()
    again = Laptop(server, account, device_id=laptop.device_id)
    assert again.device_id == laptop.device_id and again.seq == 1
    laptop.close()
    again.close()


def test_failed_logins_are_throttled_per_username_and_per_address(server: Server) -> None:
    account = server.account(server.team())
    other = server.account(account.team)

    def login(username: str, password: str, address: str) -> int:
        with server.client() as http:
            return http.post("/api/v1/auth/login",
                             json={"username": username, "password": password,
                                   "device_name": "x"},
                             headers={"X-Forwarded-For": address}).status_code

    for n in range(5):
        assert login(account.username, "fout", f"10.2.0.{n}") == 401
    # Locked: even the right password is refused, from any address.
    assert login(account.username, account.password, "10.2.1.1") == 429
    with server.client() as http:
        locked = http.post("/api/v1/auth/login", json={
            "username": account.username, "password": account.password, "device_name": "x"},
            headers={"X-Forwarded-For": "10.2.1.2"})
        assert int(locked.headers["Retry-After"]) > 0
        assert locked.json()["retry_after_seconds"] > 0
    # One address guessing many usernames is locked out as a whole.
    for n in range(20):
        assert login(f"niemand-{n}-{new_id()[:6]}", "fout", "10.3.0.1") == 401
    assert login(other.username, other.password, "10.3.0.1") == 429
    assert login(other.username, other.password, "10.3.0.2") == 200


def test_revoked_device_is_told_to_wipe(server: Server) -> None:
    account = server.account(server.team())
    laptop = Laptop(server, account, "gestolen laptop")
    listed = server.cli("device", "list")
    assert listed.returncode == 0 and laptop.device_id in listed.stdout
    revoked = server.cli("device", "revoke", laptop.device_id)
    assert revoked.returncode == 0, revoked.stderr
    assert "ingetrokken" in revoked.stdout
    for response in (
        laptop.get("/api/v1/sync/pull"),
        laptop.post("/api/v1/sync/push", json={"device_id": laptop.device_id, "changesets": []}),
        laptop.http.post("/api/v1/auth/refresh", json={"refresh_token": laptop.refresh}),
        laptop.http.post("/api/v1/auth/login", json={
            "username": account.username, "password": account.password,
            "device_name": "gestolen laptop", "device_id": laptop.device_id}),
    ):
        assert response.status_code == 401
        body = response.json()
        assert body["wipe"] is True and body["code"] == "device_revoked"
    assert "ingetrokken" in server.cli("device", "list").stdout
    laptop.close()


def test_admin_cli_and_reference_data(server: Server, tmp_path: Path) -> None:
    team = f"Team CLI {new_id()[:6]}"
    result = server.cli("team", "add", team)
    assert result.returncode == 0 and "toegevoegd" in result.stdout
    password = tmp_path / "wachtwoord.txt"
    password.write_text("een-ander-lang-wachtwoord\n", encoding="utf-8")
    username = f"cli-{new_id()[:6]}"
    result = server.cli("user", "add", username, "--team", team, "--role", "gezinsbegeleider",
                        "--password-file", str(password))
    assert result.returncode == 0, result.stderr
    refused = server.cli("user", "add", username, "--team", team, "--role", "wijkwerker",
                         "--password-file", str(password))
    assert refused.returncode == 1 and "bestaat al" in refused.stderr
    result = server.cli("mandate", "set", username, "--max-amount", "2500,50",
                        "--provision", "WMO-HH", "--provision", "JW-AMB")
    assert result.returncode == 0, result.stderr
    kaart = tmp_path / "kaart.json"
    kaart.write_text(json.dumps({"format": 1, "provisions": [
        {"id": "buurthuis-noord", "name": "Buurthuis Noord", "provider": "Welzijn Noord",
         "level": "algemeen", "wijken": ["Noord"], "contact": "ma-vr 9-17"},
        {"id": "maaltijd", "name": "Maaltijdservice", "provider": "Thuiskeuken",
         "level": "collectief", "cost_cents": 795},
    ]}), encoding="utf-8")
    assert server.cli("sociale-kaart", "load", str(kaart)).returncode == 0
    texts = tmp_path / "teksten.json"
    texts.write_text(json.dumps([{"definition_id": "zrm-2017", "definition_version": "2017",
                                  "key": "financien.1", "text": "Tekst van de licentiehouder"}]),
                     encoding="utf-8")
    assert server.cli("instrument-texts", "load", str(texts)).returncode == 0

    from tests.server.conftest import Account

    laptop = Laptop(server, Account(username, "een-ander-lang-wachtwoord", "", team, ""))
    me = laptop.get("/api/v1/me").json()
    assert me["mandate"] == {"max_amount_eur": 2500.5, "provisions": ["JW-AMB", "WMO-HH"]}
    items = laptop.get("/api/v1/sociale-kaart").json()["items"]
    assert [i["name"] for i in items] == ["Buurthuis Noord", "Maaltijdservice"]
    assert items[0]["contact"] == "ma-vr 9-17" and items[1]["cost_cents"] == 795
    loaded = laptop.get("/api/v1/instrument-texts", params={"definition_id": "zrm-2017"})
    assert loaded.json()["texts"][0]["text"] == "Tekst van de licentiehouder"
    laptop.close()
    secret = server.data_dir / "token-secret.key"
    assert secret.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("corrupt", [False, True])
def test_chunked_attachment_upload_is_verified(server: Server, corrupt: bool) -> None:
    worker = Laptop(server, server.account(server.team()))
    hh = worker.new_household()
    worker.push()
    data = os.urandom(1024 * 1024 + 12345)  # two chunks of the default 1 MiB
    digest = hashlib.sha256(b"anders" if corrupt else data).hexdigest()
    attachment_id = new_id()
    announce = {"attachment_id": attachment_id, "household_id": hh,
                "filename": "plan-ondertekend.pdf", "content_type": "application/pdf",
                "size": len(data), "sha256": digest}
    # The bytes belong to an attachment record: unknown until its metadata was pushed.
    assert worker.post("/api/v1/attachments", json=announce).status_code == 404
    worker.save("attachment.add", [worker.insert("attachment", attachment_id, {
        "household_id": hh, "kind": "ondertekende_scan", "filename": "plan-ondertekend.pdf",
        "mime": "application/pdf", "sha256": digest, "size": len(data),
        "created_at": "2026-11-23T10:00:00"})], hh)
    worker.push()
    wrong = worker.post("/api/v1/attachments", json={**announce, "size": len(data) + 1})
    assert wrong.status_code == 400 and wrong.json()["code"] == "attachment_mismatch"
    created = worker.post("/api/v1/attachments", json=announce)
    assert created.status_code == 201, created.text
    info = created.json()
    assert info["chunk_count"] == 2 and info["id"] == attachment_id
    size = info["chunk_size"]
    path = f"/api/v1/attachments/{info['id']}"
    # Out of order and one chunk resent: uploads can resume.
    for index in (1, 0, 1):
        response = worker.http.put(f"{path}/chunks/{index}",
                                   content=data[index * size:(index + 1) * size],
                                   headers={**worker.headers,
                                            "Content-Type": "application/octet-stream"})
        assert response.status_code == 200, response.text
    outsider = Laptop(server, server.account(server.team()))
    assert outsider.get(path).status_code == 404
    assert outsider.post("/api/v1/attachments", json=announce).status_code == 404
    again = worker.post("/api/v1/attachments", json=announce)  # resume: the same upload
    assert again.status_code == 200 and again.json()["received_chunks"] == [0, 1]
    done = worker.post(f"{path}/complete")
    if corrupt:
        assert done.status_code == 400 and done.json()["code"] == "checksum_mismatch"
        assert worker.get(path).json()["received_chunks"] == []
    else:
        assert done.status_code == 200 and done.json()["status"] == "complete"
        content = worker.get(f"{path}/content")
        assert content.content == data
        assert outsider.get(f"{path}/content").status_code == 404
    worker.close()
    outsider.close()


def test_tls_when_given_a_certificate(tmp_path: Path) -> None:
    import datetime as dt
    import ipaddress
    import ssl

    import httpx
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from tests.server.conftest import start_server, stop_server

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    srv = start_server(tmp_path / "tls-server", None, tls=(certfile, keyfile))
    try:
        assert srv.base_url.startswith("https://")
        context = ssl.create_default_context(cafile=str(certfile))
        health = httpx.get(f"{srv.base_url}/api/v1/health", verify=context)
        assert health.json()["status"] == "ok"
    finally:
        stop_server(srv)
