"""Plain text for Streamlit's messages and captions, which read markdown."""
from __future__ import annotations

import re


def markdown_text(text: str) -> str:
    """`text` (QuickBooks names among it) with every mark escaped, so a name shows as itself and a dollar
    sign never starts a formula."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~<>$:\"'])", r"\\\1", text)
