#!/usr/bin/env bash
# Installs what the notebook and browser tests need from Debian when missing (as root, with apt-get):
# Jupyter (nbclient, nbconvert, ipykernel) and Chromium. Otherwise says what to install.
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
packages=()
"$PY" -c "import nbclient, nbformat, nbconvert" >/dev/null 2>&1 ||
  packages+=(jupyter-notebook python3-nbclient jupyter-nbconvert python3-ipykernel)
[ -x /usr/bin/chromium ] || packages+=(chromium)
[ ${#packages[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "installing from Debian: ${packages[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null && exit 0
fi
echo "missing: ${packages[*]} — install them, e.g.: sudo apt-get install ${packages[*]}" >&2
exit 1
