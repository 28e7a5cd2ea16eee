#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The module's netlink contract is docs/netlink/sstp.yaml. This generates,
# with the kernel's own ynl-gen (tools/net/ynl from linux-source-6.12, which
# also validates the spec against its schema):
#   kmod/include/uapi/linux/sstp.h   the UAPI header (daemon and module)
#   kmod/netlink-gen.c, .h           attribute policies and the op table
# scripts/netlink-gen.sh          regenerate them
# scripts/netlink-gen.sh --check  exit 1 if the committed files differ
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
[ "${1:-}" = --check ] && check=1

tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | sort -V | tail -n1)
[ -n "$tarball" ] || { echo "netlink-gen: no linux-source-6.12 (make deps)" >&2; exit 1; }
top=$(basename "$tarball" | sed 's/\.tar\..*//')
ynl=build/ynl
if [ ! -f "$ynl/tools/net/ynl/ynl-gen-c.py" ] || [ "$tarball" -nt "$ynl/.stamp" ]; then
	rm -rf "$ynl" && mkdir -p "$ynl"
	tar -xf "$tarball" -C "$ynl" --strip-components=1 "$top/tools/net/ynl" \
		"$top/Documentation/netlink/genetlink-legacy.yaml"
	touch "$ynl/.stamp"
fi

# ynl-gen names the spec by its path below the nearest MAINTAINERS file and
# finds the schema two directories above the spec: stage both that way.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/docs/netlink" "$stage/out"
touch "$stage/MAINTAINERS"
cp "$ynl/Documentation/netlink/genetlink-legacy.yaml" "$stage/docs/"
cp docs/netlink/sstp.yaml "$stage/docs/netlink/"

gen() {	# MODE KIND OUT
	/usr/bin/python3 "$ynl/tools/net/ynl/ynl-gen-c.py" --mode "$1" "--$2" \
		--spec "$stage/docs/netlink/sstp.yaml" -o "$stage/out/$(basename "$3")"
	if [ $check = 1 ]; then
		if ! diff -u "$3" "$stage/out/$(basename "$3")"; then
			echo "netlink-gen: $3 differs from docs/netlink/sstp.yaml (run scripts/netlink-gen.sh)" >&2
			return 1
		fi
	else
		cp "$stage/out/$(basename "$3")" "$3"
	fi
}
gen uapi header kmod/include/uapi/linux/sstp.h
gen kernel source kmod/netlink-gen.c
gen kernel header kmod/netlink-gen.h
[ $check = 1 ] && echo "netlink-gen: kmod/ matches docs/netlink/sstp.yaml"
exit 0
