#!/usr/bin/env bash
# What `make test` needs from Debian beyond Python: installs what is missing (apt-get as
# root, else `sudo -n`), or names it with the command that installs it and stops before
# any test runs. Each package is checked by what the suite actually uses from it.
set -euo pipefail

missing=()
need() {  # need PACKAGE CHECK...: the package is missing when the check fails
  local package=$1
  shift
  if ! "$@" >/dev/null 2>&1; then missing+=("$package"); fi
}
has_library() { ldconfig -p | grep -q "$1"; }

need chromium test -x /usr/bin/chromium                  # browser tests (Playwright)
need poppler-utils command -v pdftoppm                    # PDF pages checked as images
need gettext command -v msgfmt                            # compilemessages
need libharfbuzz-subset0 has_library libharfbuzz-subset   # WeasyPrint's font subsetting
need libpango-1.0-0 has_library libpango-1.0              # WeasyPrint's text layout
need postgresql-client command -v pg_dump                 # backup and restore tests

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "make test needs Debian packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages for the test suite: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
