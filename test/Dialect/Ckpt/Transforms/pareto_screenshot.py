#!/usr/bin/env python3
"""Checks a headless-Chromium screenshot of a `ckpt-annotate pareto=` SVG.

Usage: pareto_screenshot.py FRONT.svg FRONT.png

The screenshot must be taken at the SVG's own size (640x420, device scale
factor 1), so that the SVG's coordinates are the PNG's pixels. The script
reads where the SVG puts the axes, the front's points, the chosen plan and
the axis labels (xml.dom.minidom), then looks at the rendered pixels
(Pillow) and prints one line per element with what it found there; it exits
non-zero if an element was not drawn. The lit test FileChecks the lines.
"""
import sys
import xml.dom.minidom

from PIL import Image

STEELBLUE = (70, 130, 180)
CRIMSON = (220, 20, 60)


def near(pixel, colour, tol=60):
    return sum(abs(a - b) for a, b in zip(pixel[:3], colour)) <= tol


def dark(pixel):
    return sum(pixel[:3]) < 3 * 110


def inked(pixel):
    """Not background: an antialiased 1-px line at a half-pixel position is
    two grey rows."""
    return sum(pixel[:3]) < 3 * 200


def count(img, box, test):
    """Pixels in box = (x0, y0, x1, y1), inclusive, for which test holds."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    n = 0
    for y in range(max(y0, 0), min(y1, img.height - 1) + 1):
        for x in range(max(x0, 0), min(x1, img.width - 1) + 1):
            n += test(img.getpixel((x, y)))
    return n


def extent(img, box, test):
    """Bounding box of the pixels in box for which test holds, or None."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    xs, ys = [], []
    for y in range(max(y0, 0), min(y1, img.height - 1) + 1):
        for x in range(max(x0, 0), min(x1, img.width - 1) + 1):
            if test(img.getpixel((x, y))):
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def main():
    svg = xml.dom.minidom.parse(sys.argv[1]).documentElement
    img = Image.open(sys.argv[2]).convert("RGB")
    width, height = float(svg.getAttribute("width")), float(svg.getAttribute("height"))
    print(f"screenshot {img.width}x{img.height}, svg {width:.0f}x{height:.0f}")
    failures = 0
    if (img.width, img.height) != (int(width), int(height)):
        print("FAIL: the screenshot is not at the SVG's size")
        return 1

    # The two axes: the first two <line>s, black.
    for name, line in zip(("x axis", "y axis"), svg.getElementsByTagName("line")[:2]):
        x1, y1, x2, y2 = (float(line.getAttribute(a)) for a in ("x1", "y1", "x2", "y2"))
        length = max(abs(x2 - x1), abs(y2 - y1))
        drawn = count(img, (min(x1, x2) - 1, min(y1, y2) - 1, max(x1, x2) + 1,
                            max(y1, y2) + 1), inked)
        ok = drawn >= 0.9 * length
        failures += not ok
        print(f"{name}: {'drawn' if ok else 'MISSING'} ({drawn} inked pixels along {length:.0f})")

    # Every point of the front: a steelblue disc of radius 3 at its centre.
    circles = svg.getElementsByTagName("circle")
    points = [c for c in circles if c.getAttribute("id") != "chosen"]
    seen = 0
    for c in points:
        cx, cy = float(c.getAttribute("cx")), float(c.getAttribute("cy"))
        seen += count(img, (cx - 2, cy - 2, cx + 2, cy + 2),
                      lambda p: near(p, STEELBLUE)) >= 15
    failures += seen != len(points)
    line_pixels = count(img, (0, 0, img.width - 1, img.height - 1),
                        lambda p: near(p, STEELBLUE, 120))
    print(f"front: {seen} of {len(points)} points drawn; {line_pixels} steelblue pixels")

    # The chosen plan: a crimson ring of radius 6.
    for c in circles:
        if c.getAttribute("id") == "chosen":
            cx, cy = float(c.getAttribute("cx")), float(c.getAttribute("cy"))
            ring = count(img, (cx - 8, cy - 8, cx + 8, cy + 8), lambda p: near(p, CRIMSON, 120))
            ok = ring >= 20
            failures += not ok
            print(f"chosen: {'drawn' if ok else 'MISSING'} ({ring} crimson pixels)")

    # The axis labels: dark text where the SVG puts them.
    texts = {t.getAttribute("id"): t for t in svg.getElementsByTagName("text")}
    xl = texts["x-label"]
    x, y = float(xl.getAttribute("x")), float(xl.getAttribute("y"))
    box = extent(img, (0, y - 14, img.width - 1, y + 5), dark)
    ok = box is not None and box[2] - box[0] >= 80 and abs((box[0] + box[2]) / 2 - x) <= 10
    failures += not ok
    print(f"x label: {'drawn' if ok else 'MISSING'}"
          + (f", {box[2] - box[0] + 1} px wide, centred at x {(box[0] + box[2]) / 2:.0f}"
             f" (svg {x:.0f})" if box else ""))
    yl = texts["y-label"]
    tx, ty = (float(v) for v in yl.getAttribute("transform")
              .split("(")[1].split(")")[0].split())
    box = extent(img, (tx - 14, 0, tx + 5, img.height - 1), dark)
    ok = box is not None and box[3] - box[1] >= 80 and abs((box[1] + box[3]) / 2 - ty) <= 10
    failures += not ok
    print(f"y label: {'drawn' if ok else 'MISSING'}"
          + (f", {box[3] - box[1] + 1} px tall (rotated), centred at y {(box[1] + box[3]) / 2:.0f}"
             f" (svg {ty:.0f})" if box else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
