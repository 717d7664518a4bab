#!/usr/bin/env bash
# Installs what kaohe needs to build and test, from Debian's packages, when it is missing.
set -euo pipefail
pkgs=(build-essential cmake ninja-build tao-pegtl-dev libboost-dev doctest-dev
      libsimdjson-dev libcli11-dev libutf8proc-dev
      libssl-dev                          # SHA-256 (libcrypto) for results' receipts
      libxlsxwriter-dev libzip-dev libexpat1-dev  # workbooks: writing .xlsx; reading it (a zip of XML)
      python3-dev pybind11-dev pkg-config   # embedding: the Python module; the installed package's test
      libsqlite3-dev sqlite3              # in SQL: the SQLite extension and its test
      postgresql-15 postgresql-server-dev-15)  # in SQL: the PostgreSQL extension and its test
# --tests: also what only the tests use. LibreOffice Calc (headless) edits and saves the entry
# workbook as a clerk's spreadsheet application would, for the workbook round trip's test, driven
# through its Python bridge (python3-uno, run by the system's /usr/bin/python3).
if [ "${1:-}" = --tests ]; then
  pkgs+=(libreoffice-calc-nogui python3-uno)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
