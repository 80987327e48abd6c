"""QuickBooks Online connector: connect once (OAuth 2.0), then full and incremental syncs.

This is the connector's public face (dlt's layout): the services import what they need from here, never
its modules (tests/test_layout.py keeps it so). Its keys and token file: `load_config`, `save_keys`,
`tokens_path`, `pending_path`, `TokenStore`; connecting: `connect_company` (consent page or this
machine), `connect_with_refresh_token` (a Playground token), `begin_consent` / `finish_consent` (the
app's two steps), `disconnect_company` (then `forget_first_requests`, what its next sync would have sent first); syncing: `run_sync`, answering a `SyncResult` (and running `Then`, the build, on its work database).
"""
from __future__ import annotations

import importlib

from ingest.qbo.errors import ConnectorError
from ingest.qbo.ahead import forget as forget_first_requests
from ingest.qbo.auth import TokenStore
from ingest.qbo.config import load as load_config, pending_path, save as save_keys, tokens_path
from ingest.qbo.run import Meanwhile, Then, run_sync
from ingest.qbo.sync import SyncResult

# Connecting and disconnecting (ingest/qbo/connect.py, with intuit-oauth, PyJWT and cryptography) are imported when
# first named: a sync, which the services import this package for as well, never uses them
_CONNECTING = {"begin_consent": "begin", "connect_company": "connect", "connect_with_refresh_token":
               "connect_with_refresh_token", "disconnect_company": "disconnect", "finish_consent": "finish"}


def __getattr__(name: str):
    if name in _CONNECTING:
        return getattr(importlib.import_module("ingest.qbo.connect"), _CONNECTING[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["ConnectorError", "TokenStore", "load_config", "save_keys", "tokens_path", "pending_path",
           "connect_company", "connect_with_refresh_token", "begin_consent", "finish_consent",
           "disconnect_company", "forget_first_requests", "Meanwhile", "run_sync", "SyncResult", "Then"]
