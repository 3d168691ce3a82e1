"""Scans fed in sideways or upside down: Tesseract's orientation detection and the turned image.

A page that OCR reads badly (ocr.py) is checked with Tesseract's orientation and script
detection (`--psm 0`, the osd data Debian's tesseract-ocr depends on); when Tesseract is sure
of a turn, the page image is turned upright and read again, and the better reading is kept.
"""

from __future__ import annotations

import re
import subprocess

from .pdf_reader import Page

QUALITY_RANK = {"goed": 2, "matig": 1, "slecht": 0}
OSD_CONFIDENCE = 2.0  # Tesseract's orientation confidence below which a turn is not trusted


def reads_better(a: Page, b: Page) -> bool:
    """Whether reading `a` is better than `b`: a better verdict, else more words."""
    return (QUALITY_RANK.get(a.quality, 0), len(a.words or [])) > (QUALITY_RANK.get(b.quality, 0), len(b.words or []))


def orientation(image: bytes, scale: float, timeout: float) -> int:
    """Degrees (90, 180, 270) the page image must be turned clockwise to stand upright, as
    Tesseract's orientation detection says with confidence; 0 when upright, unsure or unavailable."""
    cmd = ["env", "OMP_THREAD_LIMIT=1", "tesseract", "stdin", "stdout", "--psm", "0", "--dpi", str(round(scale * 72))]
    try:
        done = subprocess.run(cmd, input=image, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return 0
    out = done.stdout.decode("utf-8", "replace")
    rotate = re.search(r"^Rotate:\s*(\d+)", out, re.M)
    conf = re.search(r"^Orientation confidence:\s*([\d.]+)", out, re.M)
    if done.returncode != 0 or not rotate or not conf or float(conf.group(1)) < OSD_CONFIDENCE:
        return 0
    turn = int(rotate.group(1)) % 360
    return turn if turn in (90, 180, 270) else 0


def turned(image: bytes, degrees: int) -> bytes:
    """A binary PGM image turned `degrees` clockwise."""
    from PIL import Image

    header, _, rest = image.partition(b"\n255\n")
    width, height = (int(v) for v in header.split()[1:3])
    turned = Image.frombytes("L", (width, height), rest).rotate(-degrees, expand=True)
    return b"P5\n%d %d\n255\n" % turned.size + turned.tobytes()
