#!/usr/bin/env bash
# Installs Jupyter from Debian when it is missing and apt-get is usable (as root); otherwise says how.
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if "$PY" -c "import nbclient, nbformat, nbconvert" >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "installing Jupyter from Debian packages…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    jupyter-notebook python3-nbclient jupyter-nbconvert python3-ipykernel >/dev/null && exit 0
fi
echo "Jupyter (nbclient, nbconvert) is missing. Install it, e.g.: sudo apt-get install jupyter-notebook python3-nbclient jupyter-nbconvert python3-ipykernel" >&2
exit 1
