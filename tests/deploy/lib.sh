# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by tests/deploy/test-*.sh: tests that install sstp on this
# machine the ways an operator would (make install, DKMS, the Debian
# packages), boot the VM guest on what got installed, and take it all out
# again. They run as root on the host, one at a time (tests/run-deploy.sh).

. "$(dirname "${BASH_SOURCE[0]}")/../lib/netns.sh"

[ "$(id -u)" = 0 ] || skip "needs root (it installs on this machine)"
# A test that installs something puts it back in its EXIT trap; it must
# keep the test's exit status for _netns_cleanup:
#   trap 'rc=$?; undo... || true; set +e; (exit $rc); _netns_cleanup' EXIT
cd "$TOP"
VERSION=$(cat VERSION)

# guest_kernels: Debian's kernels the VM can boot (the two CI kernels).
guest_kernels() {
	scripts/kernels.sh | grep -E -- '-amd64$'
}

# newest_kernel: the newest of them.
newest_kernel() {
	guest_kernels | tail -n1
}

# in_guest KVER CMD: boot KVER on the host's own module tree (what was
# installed there, and its depmod index; not build/kmod) and run CMD in
# the guest, from the top of this tree. Its own output directory, so that
# it never waits for the regular VM runs.
in_guest() {
	local k=$1
	shift
	printf '+ [guest %s] %s\n' "$k" "$*"
	VM_MODULES=host VM_OUT="build/vm-deploy/$k" tests/vm/run-vm.sh -v -k "$k" -t 900 -c "$*"
}

# module_file KVER: where modprobe finds sstp for KVER on this machine.
module_file() {
	modinfo -k "$1" -n sstp 2>/dev/null
}
