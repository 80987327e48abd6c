"""Connectors that bring QuickBooks Online entities into the raw store."""
