#!/usr/bin/env bash
# Install Debian's nginx, once per machine, for the deployment tests (tests/deploy): they run
# deploy/nginx.conf in front of real Rasa replicas. Only the binary is used; the package's own
# service is not started by the tests.
set -euo pipefail

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    # Wait for another apt run (the browser install, say) instead of failing on its lock.
    $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq nginx >/dev/null
fi

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
echo "Deployment tests ready: $NGINX ($("$NGINX" -v 2>&1))"
