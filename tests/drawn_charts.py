"""Charts as drawn (vl-convert's SVG, the same drawing the printouts use), read back for tests: the x-axis
labels that show and where the bars stand."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import vl_convert

SVG = "{http://www.w3.org/2000/svg}"


def drawn(chart) -> ET.Element:
    return ET.fromstring(vl_convert.vegalite_to_svg(chart.properties(width=640).to_json()))


def x_labels(svg: ET.Element) -> list[tuple[str, float]]:
    """The x-axis labels that show (Vega hides overlapping ones with opacity 0), with their x."""
    (axis,) = [g for g in svg.iter(f"{SVG}g") if g.get("aria-label", "").startswith("X-axis")]
    labels = [t for g in axis.iter(f"{SVG}g") if "role-axis-label" in g.get("class", "")
              for t in g.iter(f"{SVG}text") if t.get("opacity") != "0"]
    return [(t.text, _translate_x(t.get("transform"))) for t in labels]


def bar_centres(svg: ET.Element) -> list[float]:
    """The middle of each column of bars (stacked bars share one)."""
    centres = set()
    for path in svg.iter(f"{SVG}path"):
        if path.get("aria-roledescription") == "bar":
            x, width = (float(v) for v in re.match(r"M([-\d.]+),[-\d.]+h([-\d.]+)", path.get("d")).groups())
            centres.add(round(x + width / 2, 1))
    return sorted(centres)


def _translate_x(transform: str) -> float:
    return float(re.match(r"translate\(([-\d.]+)", transform).group(1))
