"""QuickBooks Online connector: connect once (OAuth 2.0), then full and incremental syncs.

This is the connector's public face (dlt's layout): the services import what they need from here, never
its modules (tests/test_layout.py keeps it so). Its keys and token file: `load_config`, `save_keys`,
`tokens_path`, `pending_path`, `TokenStore`; connecting: `connect_company` (consent page or this
machine), `connect_with_refresh_token` (a Playground token), `begin_consent` / `finish_consent` (the
app's two steps), `disconnect_company`; syncing: `run_sync`, answering a `SyncResult` (and running `Then`, the build, on its work database).
"""
from ingest.qbo.errors import ConnectorError
from ingest.qbo.auth import TokenStore
from ingest.qbo.config import load as load_config, pending_path, save as save_keys, tokens_path
from ingest.qbo.connect import (begin as begin_consent, connect as connect_company, connect_with_refresh_token,
                                disconnect as disconnect_company, finish as finish_consent)
from ingest.qbo.run import Then, run_sync
from ingest.qbo.sync import SyncResult

__all__ = ["ConnectorError", "TokenStore", "load_config", "save_keys", "tokens_path", "pending_path",
           "connect_company", "connect_with_refresh_token", "begin_consent", "finish_consent",
           "disconnect_company", "run_sync", "SyncResult", "Then"]
