"""Test equipment: local stand-ins for services the tests cannot reach. The product never imports them."""
