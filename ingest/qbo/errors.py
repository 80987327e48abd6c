"""The connector's one error a person acts on."""


class ConnectorError(RuntimeError):
    """Something the person running the connector must act on; the message says what."""
