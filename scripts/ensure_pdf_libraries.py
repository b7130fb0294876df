"""Install the system libraries WeasyPrint draws PDFs with (recovery/core/pdf.py) when they are
missing: Pango and HarfBuzz, and the fonts our print stylesheet names (Liberation Sans, DejaVu
Sans). Run by `make setup` and `make test`. Already present: nothing happens. Missing and
cannot be installed: it says so and the run carries on (only PDFs, and their tests, fail)."""

import ctypes.util
import os
import shutil
import subprocess
import sys

# Debian package: the shared library (for ctypes.util.find_library) or font file it provides.
LIBRARIES = {
    "libpango-1.0-0": "pango-1.0",
    "libpangoft2-1.0-0": "pangoft2-1.0",
    "libharfbuzz-subset0": "harfbuzz-subset",
}
FONTS = {
    "fonts-liberation2": "Liberation Sans",
    "fonts-dejavu-core": "DejaVu Sans",
}


def _font_present(family: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True)
    return family.lower() in listed.stdout.lower()


def missing_packages() -> list[str]:
    missing = [pkg for pkg, lib in LIBRARIES.items() if ctypes.util.find_library(lib) is None]
    if shutil.which("fc-list") is None:
        missing.append("fontconfig")
    missing += [pkg for pkg, family in FONTS.items() if not _font_present(family)]
    return missing


def main() -> int:
    missing = missing_packages()
    if not missing:
        return 0
    if shutil.which("apt-get") is None:
        print(f"PDFs need {', '.join(missing)} and apt-get is not available: install them.")
        return 0
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"Installing {', '.join(missing)} for PDFs (WeasyPrint)…", flush=True)
    try:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
            check=True,
            env=env,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"Could not install {', '.join(missing)} ({error}): PDFs will not be made.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
