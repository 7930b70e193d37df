"""The Ganzhou form in a real browser: headless Chromium paints it, prints it on A4
landscape, lays it out within the printed page's width and shows every row, in Chinese and
in English (whose longer labels must fit the same grid).

One Chromium run (about two seconds) takes a screenshot, prints to PDF and dumps the DOM
of a copy of the page into which the test adds its own measuring script (the page itself
carries none) and whose print rules are applied on screen, so the layout measured is the
printed one. No Python browser package is needed. Without a browser the tests are skipped
and say so: CI installs Debian's ``chromium`` (``.ci/run``).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import EXAMPLES

import evalcore

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((path for name in BROWSERS if (path := shutil.which(name))), None)

pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no headless browser installed (looked for chromium, "
    "chromium-browser, google-chrome on PATH): apt-get install chromium to run the browser test")

# A4 landscape less the page's 10 mm margins (form.css), in CSS pixels (96 per inch).

PRINTABLE_WIDTH_PX = round((297 - 2 * 10) / 25.4 * 96)

MEASURE = """
<script>
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.indicator"));
  var shown = rows.filter(function (r) { var b = r.getBoundingClientRect(); return b.height > 0; });
  var widest = 0;
  document.querySelectorAll("body *").forEach(function (el) {
    widest = Math.max(widest, el.getBoundingClientRect().right);
  });
  var out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify({
    rows: rows.length, shown: shown.length, viewport: window.innerWidth,
    scroll: document.documentElement.scrollWidth, widest: Math.ceil(widest),
    ids: rows.map(function (r) { return r.dataset.id; })
  });
  document.body.appendChild(out);
})();
</script>
"""


@pytest.fixture(scope="module", params=["zh", "en"])
def browsed(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Run Chromium once on the Ganzhou page in each language (the ``lang`` option):
    screenshot, PDF, measurements."""
    assert BROWSER is not None
    folder = tmp_path_factory.mktemp("browser")
    result = evalcore.evaluate(evalcore.load_project(EXAMPLES / "ganzhou-2021" / "project.toml"))
    page = evalcore.render(result, "html", options={"lang": request.param})
    assert isinstance(page, str) and "<script" not in page
    measured = page.replace("@media print {", "@media all {").replace("</body>", MEASURE + "</body>")
    path = folder / "page.html"
    path.write_text(measured, encoding="utf-8")
    shot, pdf = folder / "page.png", folder / "page.pdf"
    run = subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", f"--user-data-dir={folder / 'profile'}",
         f"--window-size={PRINTABLE_WIDTH_PX},900", f"--screenshot={shot}",
         f"--print-to-pdf={pdf}", "--no-pdf-header-footer", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r'<pre id="measured">(.*?)</pre>', run.stdout, re.S)
    assert found is not None, run.stdout[-2000:]
    return {"result": result, "shot": shot, "pdf": pdf,
            "measured": json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))}


def png_pixels(path: Path) -> tuple[int, int, int, bytes]:
    """Width, height, bytes per pixel and the pixels (rows of 8-bit samples, filters undone)
    of a PNG, read with the standard library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width, height, bpp = 8, b"", 0, 0, 0
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw, stride = zlib.decompress(idat), width * bpp
    pixels, previous = bytearray(), bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up, corner = previous[x], previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        pixels += line
        previous = line
    return width, height, bpp, bytes(pixels)


def test_the_page_paints(browsed):
    width, height, bpp, pixels = png_pixels(browsed["shot"])
    assert (width, height) == (PRINTABLE_WIDTH_PX, 900)
    # Not blank: dark pixels (text, borders, bars) on at least 1% of the page, several colours.
    dark = sum(1 for i in range(0, len(pixels), bpp) if sum(pixels[i:i + 3]) < 3 * 0x80)
    assert dark > width * height // 100, dark
    assert len({pixels[i:i + 3] for i in range(0, len(pixels), bpp * 7)}) > 8


def test_the_page_prints_on_a4_landscape(browsed):
    pdf = browsed["pdf"].read_bytes()
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes, "no page in the PDF"
    for w, h in boxes:
        assert abs(float(w) - 841.92) < 2 and abs(float(h) - 595.2) < 2, (w, h)


def test_the_printed_layout_fits_the_page_width(browsed):
    m = browsed["measured"]
    assert m["viewport"] == PRINTABLE_WIDTH_PX
    assert m["scroll"] <= m["viewport"] and m["widest"] <= m["viewport"], m


def test_every_row_is_rendered(browsed):
    m, result = browsed["measured"], browsed["result"]
    assert m["rows"] == m["shown"] == len(result.rows)
    assert m["ids"] == [row.id for row in result.rows]
