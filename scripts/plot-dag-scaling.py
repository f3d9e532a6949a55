#!/usr/bin/env python3
"""Draws the benchmark's cost-as-the-DAG-grows curves (bench -- kafka --nodes 5,10,20 --csv FILE) as one PNG.

Two panels: CPU per document, and bytes read from the broker per document, against the number of DAG nodes, one line
per system. Standard library only: it writes an SVG and renders it with headless Chromium (installed by
scripts/install-test-deps.sh).

    python3 scripts/plot-dag-scaling.py docs/dag-scaling.csv docs/dag-scaling.png
"""
import csv
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

COLORS = ["#1f77b4", "#2ca02c", "#9467bd", "#aec7e8", "#98df8a", "#c5b0d5", "#d62728"]
WIDTH, HEIGHT, PANEL_W, PANEL_H, LEFT, TOP = 1200, 560, 470, 380, 90, 60


def panel(x0, title, series, nodes, key):
    top = max(max(p[key] for p in points) for points in series.values()) * 1.1
    sx = lambda n: x0 + LEFT + (n - nodes[0]) / (nodes[-1] - nodes[0]) * PANEL_W
    sy = lambda v: TOP + PANEL_H - v / top * PANEL_H
    out = [f'<text x="{x0 + LEFT + PANEL_W / 2}" y="35" font-size="18" text-anchor="middle">{title}</text>',
           f'<rect x="{x0 + LEFT}" y="{TOP}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="#888"/>']
    for i in range(6):
        value = top * i / 5
        out.append(f'<text x="{x0 + LEFT - 8}" y="{sy(value) + 4}" font-size="12" text-anchor="end">{value:,.0f}</text>')
        out.append(f'<line x1="{x0 + LEFT}" x2="{x0 + LEFT + PANEL_W}" y1="{sy(value)}" y2="{sy(value)}" stroke="#eee"/>')
    for n in nodes:
        out.append(f'<text x="{sx(n)}" y="{TOP + PANEL_H + 20}" font-size="12" text-anchor="middle">{n}</text>')
    out.append(f'<text x="{x0 + LEFT + PANEL_W / 2}" y="{TOP + PANEL_H + 42}" font-size="13" text-anchor="middle">DAG nodes</text>')
    for color, (name, points) in zip(COLORS, series.items()):
        path = " ".join(f"{sx(p['nodes'])},{sy(p[key])}" for p in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        out += [f'<circle cx="{sx(p["nodes"])}" cy="{sy(p[key])}" r="4" fill="{color}"/>' for p in points]
    return out


def main(source, target):
    series = defaultdict(list)
    with open(source, newline="") as f:
        for row in csv.DictReader(f):
            series[row["system"]].append({"nodes": int(row["nodes"]), "cpu": float(row["cpu_us_per_document"]),
                                          "bytes": float(row["bytes_read_per_document"])})
    nodes = sorted({p["nodes"] for points in series.values() for p in points})
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>']
    svg += panel(0, "CPU per document (µs)", series, nodes, "cpu")
    svg += panel(WIDTH // 2, "bytes read from the broker per document", series, nodes, "bytes")
    for i, (color, name) in enumerate(zip(COLORS, series)):
        x, y = 20 + (i % 4) * 295, HEIGHT - 40 + (i // 4) * 20
        svg.append(f'<rect x="{x}" y="{y - 10}" width="14" height="4" fill="{color}"/><text x="{x + 20}" y="{y - 5}" font-size="12">{name}</text>')
    svg.append("</svg>")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium is needed to render the PNG (scripts/install-test-deps.sh installs it)")
    with tempfile.TemporaryDirectory() as scratch:
        page = Path(scratch) / "chart.svg"
        page.write_text("\n".join(svg), encoding="utf-8")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={scratch}/profile",
                        f"--screenshot={Path(target).resolve()}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri()],
                       check=True, capture_output=True)
    print(f"wrote {target}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
