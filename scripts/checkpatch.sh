#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Kernel coding style on the module: checkpatch.pl --strict over kmod/.
# checkpatch.pl comes from the kernel sources: $CHECKPATCH if set, else an
# unpacked tree under /usr/src, else it is extracted (with the data files it
# reads) from the linux-source-* tarball into build/checkpatch/.
# Debian: apt-get install linux-source-6.12 (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

find_checkpatch() {
	local f tarball top
	if [ -n "${CHECKPATCH:-}" ]; then
		echo "$CHECKPATCH"
		return 0
	fi
	for f in build/checkpatch/scripts/checkpatch.pl \
		 /usr/src/linux-source-*/scripts/checkpatch.pl \
		 /usr/src/linux-headers-*/scripts/checkpatch.pl; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	tarball=$(ls /usr/src/linux-source-*.tar.* 2>/dev/null | sort -V | tail -n1)
	[ -n "$tarball" ] || return 1
	top=$(basename "$tarball" | sed 's/\.tar\..*//')
	mkdir -p build/checkpatch
	tar -xf "$tarball" -C build/checkpatch --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" >&2
	echo build/checkpatch/scripts/checkpatch.pl
}

if ! cp=$(find_checkpatch); then
	echo "checkpatch: no checkpatch.pl (install linux-source-6.12 or set CHECKPATCH=)" >&2
	exit 1
fi
# Files generated from docs/netlink/sstp.yaml by ynl-gen are checked by
# scripts/netlink-gen.sh --check instead: their layout is the generator's.
files=$(find kmod -name '*.[ch]' ! -name compat.h | sort | xargs grep -L 'YNL-GEN')
echo "checkpatch: $cp --strict on $(echo "$files" | wc -l) files + kmod/compat.h"
# --no-tree: kmod/ is not a kernel tree; -f: whole files, not patches.
perl "$cp" --strict --no-tree --terse --show-types --no-summary -f $files
# compat.h is the one place that may test the kernel version (behaviour
# that no macro shows, see its comment).
perl "$cp" --strict --no-tree --terse --show-types --no-summary \
	--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f kmod/compat.h
echo "checkpatch: clean"
