#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the deployment tests (tests/deploy/test-*.sh, or those in
# DEPLOYTESTS): they install sstp on this machine (make install, DKMS, the
# Debian packages), boot the VM guest on what they installed, and take it
# out again, one at a time.
cd "$(dirname "$0")/.."
LAYER_TESTS=${DEPLOYTESTS:-} exec tests/run-host.sh tests/deploy deploy 1800
