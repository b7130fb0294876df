"""Install Debian's Chromium for the browser tests when it is missing (never a downloaded
browser build: Playwright drives /usr/bin/chromium by executable_path)."""

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    if shutil.which("apt-get") is None:
        print("Chromium is missing and apt-get is not available: install Debian's 'chromium'.")
        return 1
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("Installing Debian's chromium for the browser tests…", flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
        check=True,
        env=env,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
