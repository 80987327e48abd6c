"""QuickBooks Online connector: connect once (OAuth 2.0), then full and incremental syncs."""


class ConnectorError(RuntimeError):
    """Something the person running the connector must act on; the message says what."""
