#!/usr/bin/env bash
# Builds the Debian package of fxa-server: the self-contained release binary,
# the systemd unit, the settings file as a conffile, a system user made on
# install, data in /var/lib/fxa-server. See docs/self-hosting.md.
#
#   deploy/build-deb.sh                  # release build, then the package in dist/
#   deploy/build-deb.sh --binary PATH    # package a binary built already
#   deploy/build-deb.sh --out DIR        # where the .deb goes (default dist/)
#
# Needs dpkg-dev (dpkg-deb, dpkg-shlibdeps) and, without --binary, the Swift
# toolchain. The package's dependencies are whatever the binary loads, as
# dpkg-shlibdeps finds them: with --static-swift-stdlib that is the C and C++
# runtime every Debian has, never the Swift toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

binary=""
out="$ROOT/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build-deb.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

BUILD=(-c release --static-swift-stdlib)
if [ -z "$binary" ]; then
  swift build "${BUILD[@]}" --product fxa-server
  binary="$(swift build "${BUILD[@]}" --show-bin-path)/fxa-server"
fi
[ -x "$binary" ] || { echo "build-deb.sh: no executable at $binary" >&2; exit 1; }

version=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/FxACore/FxAVersion.swift)
[ -n "$version" ] || { echo "build-deb.sh: version not found in Sources/FxACore/FxAVersion.swift" >&2; exit 1; }
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
arch=$(dpkg --print-architecture)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg="$stage/fxa-server"

# The binary, without DWARF (a third of its size) but with its symbol
# table, so a crash's backtrace still names functions.
install -D -m 0755 "$binary" "$pkg/usr/bin/fxa-server"
strip --strip-debug "$pkg/usr/bin/fxa-server"

install -D -m 0644 deploy/fxa-server.service "$pkg/lib/systemd/system/fxa-server.service"
# Owner and mode (root:fxa-server 0640: it holds the SMTP password) are set
# by postinst, once the group exists.
install -D -m 0640 deploy/fxa-server.env.example "$pkg/etc/fxa-server/fxa-server.env"

# /__version__ reads this: a service's working folder is its data folder,
# where no version.json or .git is.
install -d "$pkg/usr/share/fxa-server"
printf '{"source":"swift-fxa","version":"%s","commit":"%s","build":"deb"}\n' "$version" "$commit" \
  > "$pkg/usr/share/fxa-server/version.json"

doc="$pkg/usr/share/doc/fxa-server"
install -d "$doc"
install -m 0644 README.md docs/self-hosting.md deploy/nginx.conf.example deploy/fxa-server.env.example "$doc/"
cat > "$doc/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: swift-fxa
Comment: The binary also contains the Swift runtime and the Swift packages
 listed in docs/third-party.md, under their own licences (Apache-2.0, MIT,
 and BoringSSL's and SQLite's).

Files: *
Copyright: swift-fxa contributors
License: see the source repository
EOF

# Dependencies: the shared libraries the binary loads, mapped to packages.
shlibs=$(mktemp -d)
mkdir -p "$shlibs/debian"
printf 'Source: fxa-server\n\nPackage: fxa-server\nArchitecture: any\n' > "$shlibs/debian/control"
depends=$(cd "$shlibs" && dpkg-shlibdeps -O "$pkg/usr/bin/fxa-server" | sed -n 's/^shlibs:Depends=//p')
rm -rf "$shlibs"
[ -n "$depends" ] || { echo "build-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
loaded=$(ldd "$pkg/usr/bin/fxa-server")
if grep -q 'libswift\|libFoundation\|lib_FoundationICU\|libdispatch' <<<"$loaded"; then
  echo "build-deb.sh: the binary loads the Swift runtime; build with --static-swift-stdlib" >&2
  echo "$loaded" >&2
  exit 1
fi

install -d "$pkg/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<EOF
Package: fxa-server
Version: $version
Architecture: $arch
Maintainer: swift-fxa <fxa-server@localhost>
Installed-Size: $size
Depends: $depends, passwd
Section: net
Priority: optional
Description: Firefox Accounts compatible identity provider
 fxa-server is a self-hostable Firefox Accounts server in one binary:
 onepw accounts, OAuth 2.0 and OpenID Connect, the profile API, scoped
 keys and Security Event Tokens for relying parties, with SQLite (default)
 or PostgreSQL.
 .
 The service is installed but not started: edit
 /etc/fxa-server/fxa-server.env, then systemctl enable --now fxa-server.
EOF
echo /etc/fxa-server/fxa-server.env > "$pkg/DEBIAN/conffiles"
install -m 0755 deploy/debian/postinst deploy/debian/prerm deploy/debian/postrm "$pkg/DEBIAN/"

mkdir -p "$out"
deb="$out/fxa-server_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "$deb"
