"""Render a validation report (index.html) in headless Chromium and save a PNG screenshot.

Usage: python scripts/screenshot_report.py REPORT_HTML --out PNG [--width 1280] [--height 2400]
       [--dom FILE] [--chromium PATH]

The page is opened from its file with every network route closed (no proxy answers, no host
resolves), so the screenshot shows what a reader sees offline. ``--dom`` also saves the page
as Chromium rendered it (``--dump-dom``). Exit 0 when the PNG was written, 2 with one line on
stderr when it could not be (no Chromium, no report, Chromium failed).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
"""Executables tried, in order, when ``--chromium`` is not given."""
TIMEOUT_S = 120
"""Longest a Chromium run may take: a one-file report renders in about 3 s."""
# Closes every route to the network: no name resolves and every connection goes to a
# discard port, so a stray external URL in the page would show as missing, not load.
OFFLINE_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
)


class ScreenshotError(Exception):
    """The screenshot could not be taken (exit 2)."""


def find_chromium(given: str | None = None) -> str | None:
    """Return the Chromium executable to use: ``given``, or the first of ``CHROMIUM_NAMES``."""
    if given is not None:
        return shutil.which(given)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    return None


def _run_chromium(chromium: str, page: Path, extra: list[str]) -> subprocess.CompletedProcess[str]:
    # A throwaway profile: nothing is read from or written to the user's own.
    with tempfile.TemporaryDirectory(prefix="screenshot-profile-") as profile:
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *OFFLINE_FLAGS,
            *extra,
            page.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ScreenshotError(f"{chromium} did not run: {error}") from error
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ScreenshotError(f"{chromium} exited with {done.returncode}: {last}")
    return done


def screenshot(
    page: Path,
    out: Path,
    *,
    width: int = 1280,
    height: int = 2400,
    chromium: str | None = None,
) -> str:
    """Render ``page`` in headless Chromium and save a PNG of its first ``height`` pixels.

    Args:
        page: The HTML file.
        out: The PNG to write.
        width: Window width in CSS pixels.
        height: Window height in CSS pixels (the part of the page shown).
        chromium: The Chromium executable (default: found on PATH).

    Returns:
        The page as Chromium rendered it (its DOM, serialized).

    Raises:
        ScreenshotError: When no Chromium is found, the page is missing, or Chromium fails.
    """
    executable = find_chromium(chromium)
    if executable is None:
        raise ScreenshotError(f"no Chromium found (tried {', '.join(CHROMIUM_NAMES)})")
    if not page.is_file():
        raise ScreenshotError(f"{page}: no such report file")
    out.unlink(missing_ok=True)
    _run_chromium(
        executable, page, [f"--screenshot={out.resolve()}", f"--window-size={width},{height}"]
    )
    if not out.is_file():
        raise ScreenshotError(f"{executable} wrote no screenshot to {out}")
    return _run_chromium(executable, page, ["--dump-dom"]).stdout


def main(argv: list[str] | None = None) -> int:
    """Run the script; return its exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="the report's index.html")
    parser.add_argument("--out", type=Path, required=True, help="the PNG to write")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2400)
    parser.add_argument("--dom", type=Path, help="also save the rendered page (--dump-dom)")
    parser.add_argument("--chromium", help="the Chromium executable (default: found on PATH)")
    args = parser.parse_args(argv)
    try:
        dom = screenshot(
            args.report, args.out, width=args.width, height=args.height, chromium=args.chromium
        )
        if args.dom is not None:
            args.dom.write_text(dom, encoding="utf-8")
    except (ScreenshotError, OSError) as error:
        print(f"screenshot_report: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
