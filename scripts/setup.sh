#!/usr/bin/env bash
# Set up everything OpenITA needs on a fresh machine; safe to run again (it skips what is done).
# - Debian packages (Chromium, poppler-utils), when run as root and some are missing.
# - A virtual environment in .venv with OpenITA and its development tools.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium prints documents to PDF; poppler-utils (pdftotext, pdftoppm) checks and previews them;
# nginx is the reverse proxy of scripts/cluster.sh (several app servers), which runs its own nginx
# with a config in its run folder (Debian's nginx service, where the package starts one, is unused);
# LibreOffice (Writer, no GUI) opens the DOCX the way many officers do: the tests convert every
# document kind with it to check page numbers and line breaks, and bench/ compares against it.
APT_PACKAGES=(chromium poppler-utils nginx libreoffice-writer-nogui)

if [ "${#APT_PACKAGES[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

if [ "$(id -u)" != 0 ]; then
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || echo "setup: WARNING: Debian package '$pkg' is missing and" \
      "this is not root: run 'sudo apt-get install ${APT_PACKAGES[*]}' (PDF output needs" \
      "chromium; scripts/cluster.sh needs nginx; the DOCX checks need LibreOffice)" >&2
  done
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: OpenITA needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.openita-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing OpenITA and its tools into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
  echo "$want" > "$stamp"
fi

# Sarabun for other programs (LibreOffice opening OpenITA's DOCX); PDFs embed it themselves.
fonts="${XDG_DATA_HOME:-$HOME/.local/share}/fonts/openita"
if [ ! -f "$fonts/Sarabun-Regular.ttf" ] && command -v fc-cache >/dev/null; then
  src=$(.venv/bin/python -c 'import fontpkg_sarabun as f; print(f.ROOT)')/files
  mkdir -p "$fonts" && cp "$src"/Sarabun-{Regular,Bold,Italic,BoldItalic}.ttf "$fonts"/
  fc-cache -f "$fonts" >/dev/null 2>&1 || true
fi
