#!/bin/sh
# Install what certsmith needs to build and test on Debian 12 (bookworm).
# Runs apt-get as root, or through sudo when not root.
set -e
PACKAGES="build-essential autoconf automake pkg-config
	libssl-dev libxml2-dev libpcre2-dev libjansson-dev libcmocka-dev
	libpsl-dev publicsuffix libidn2-dev libgmp-dev iso-codes
	openssl jq python3 python3-jsonschema libxml2-utils valgrind clang"
missing=
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
