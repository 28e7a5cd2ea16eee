#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install everything sstp needs to build, test and benchmark, idempotently:
# Debian packages, and the two kernels the VM tests boot (6.1 from bookworm,
# 6.12 from bookworm-backports) with their headers.
#
# Kernels are installed with INITRD=No and --no-install-recommends, by exact
# package name rather than with "-t bookworm-backports": the VM harness never
# uses Debian's initrd (it builds its own tiny one), so skipping
# update-initramfs saves minutes, and naming the packages keeps apt from
# pulling systemd, udev or linux-libc-dev from backports as a side effect.
#
# Usage: scripts/install-deps.sh [--quiet]
set -euo pipefail

QUIET=${1:-}
log() { [ "$QUIET" = --quiet ] || echo "install-deps: $*"; }

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: must run as root (apt-get)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
APT="apt-get -y -q -o Dpkg::Use-Pty=0 --no-install-recommends"

PKGS=(
	# build
	build-essential pkg-config gcc-12 make bc flex bison libelf-dev dwarves
	libssl-dev libmnl-dev libbpf-dev bpftool clang llvm
	libclang-rt-14-dev valgrind
	# VM harness
	qemu-system-x86 busybox-static cpio kmod xz-utils
	# tests and demo, run inside the guest from the host's /usr
	iproute2 iperf3 ppp sstp-client tcpdump openssl iputils-ping procps ethtool
	# RADIUS peers of the tests: the server, and radclient for RFC 5176
	freeradius freeradius-utils
	# fail2ban-regex checks examples/fail2ban against sstpd's log
	fail2ban
	# benchmarks
	gnuplot-nox linux-perf python3
	# packaging and deployment tests (tests/deploy/): DKMS, the Debian
	# packages (dpkg-buildpackage and debian/control's Build-Depends), the
	# man pages and the units checked (man, systemd-analyze), a front end
	# on port 443 (HAProxy: SNI routing, TLS termination), a Prometheus
	# scrape (curl, promtool)
	dkms dh-dkms debhelper dpkg-dev fakeroot zlib1g-dev man-db systemd
	haproxy prometheus curl
	# checkpatch.pl and ynl-gen for the module (scripts/checkpatch.sh,
	# scripts/netlink-gen.sh), which needs PyYAML and jsonschema
	linux-source-6.12 python3-yaml python3-jsonschema
)

# The backports suite, same mirror and component as the bookworm entry.
SRC=/etc/apt/sources.list.d/bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	log "adding bookworm-backports to apt sources"
	mirror=$(awk '/^URIs:/ && /debian\/?$/ {print $2; exit}' \
		/etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	cat >"$SRC" <<EOT
Types: deb
URIs: ${mirror:-http://deb.debian.org/debian}
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
	rm -f /var/lib/apt/periodic/sstp-updated
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done

# One index refresh per day is plenty.
stamp=/var/lib/apt/periodic/sstp-updated
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440)" ] || [ ${#missing[@]} -gt 0 ]; then
	if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +60)" ]; then
		log "apt-get update"
		apt-get update -q -o Dpkg::Use-Pty=0 >/dev/null
		mkdir -p "$(dirname "$stamp")" && touch "$stamp"
	fi
fi

if [ ${#missing[@]} -gt 0 ]; then
	log "installing: ${missing[*]}"
	# HAProxy and Prometheus come with services that would start on
	# this machine's ports: the tests run their own, in namespaces.
	# policy-rc.d keeps the packages from starting theirs.
	nostart=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		nostart=1
	fi
	rc=0
	$APT install "${missing[@]}" >/dev/null || rc=$?
	[ -z "$nostart" ] || rm -f /usr/sbin/policy-rc.d
	[ $rc = 0 ] || exit $rc
fi

# Resolve a metapackage's versioned dependency in one suite, e.g.
# linux-image-amd64 in bookworm-backports -> linux-image-6.12.NN+deb12-amd64.
# "stable" is the newest of bookworm and bookworm-security (6.1), "backports"
# is bookworm-backports (6.12).
kpkg() { # $1 metapackage, $2 stable|backports
	local ver
	ver=$(apt-cache madison "$1" | awk -F' [|] ' -v s="$2" '
		(s == "backports") == ($3 ~ /-backports/) {gsub(/ /, "", $2); print $2; exit}')
	[ -n "$ver" ] || { echo "install-deps: no $1 in $2" >&2; return 1; }
	apt-cache show "$1=$ver" | awk -F': ' '/^Depends:/ {print $2; exit}' |
		tr ',' '\n' | awk '{print $1}' | grep -E "^${1%-amd64}-[0-9]" | head -n1
}

kernels=()
for suite in stable backports; do
	img=$(kpkg linux-image-amd64 "$suite")
	hdr=$(kpkg linux-headers-amd64 "$suite")
	kver=${img#linux-image-}
	if [ -r "/boot/vmlinuz-$kver" ] && [ -e "/lib/modules/$kver/build/Makefile" ]; then
		kernels+=("$kver")
		continue
	fi
	log "installing kernel $kver (VM guest) and its headers"
	INITRD=No $APT install "$img" "$hdr" >/dev/null
	kernels+=("$kver")
done

log "ready; VM kernels: ${kernels[*]}"
