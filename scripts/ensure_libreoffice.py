"""Install Debian's LibreOffice Calc when it is missing: one test re-saves an export with
`soffice --headless --convert-to xlsx` to prove the text survives a LibreOffice round trip.
Without it that one test is skipped (with its reason), so a failure here does not stop the run."""

import os
import shutil
import subprocess
import sys


def main() -> int:
    if shutil.which("soffice"):
        return 0
    if shutil.which("apt-get") is None:
        print("LibreOffice is missing and apt-get is not available: the LibreOffice test skips.")
        return 0
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("Installing Debian's libreoffice-calc for the export round-trip test…", flush=True)
    try:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            [
                *sudo,
                "apt-get",
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "libreoffice-calc",
            ],
            check=True,
            env=env,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"Could not install libreoffice-calc ({error}): the LibreOffice test skips.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
