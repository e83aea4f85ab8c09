#!/usr/bin/env bash
# Installs the Debian packages the test suite needs beyond npm: chromium (the Web UI browser test),
# the PostgreSQL server binaries (the audit store test) and promtool from prometheus (the alert
# rules test). `npm test` runs this itself, saying
# so, when it runs as root and one is missing; otherwise run it once with sudo. Safe to re-run.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need_chromium=0
need_postgres=0
need_promtool=0
[ -x /usr/bin/chromium ] || need_chromium=1
[ -x /usr/bin/promtool ] || need_promtool=1
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && ! command -v initdb >/dev/null; then
  need_postgres=1
fi
if [ "$need_chromium$need_postgres$need_promtool" = "000" ]; then
  echo "install-test-deps: chromium, the PostgreSQL server binaries and promtool are installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-test-deps: needs root to run apt-get: sudo bash scripts/install-test-deps.sh" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "install-test-deps: no apt-get: install chromium (at /usr/bin/chromium), the PostgreSQL server (initdb, pg_ctl) and promtool (at /usr/bin/promtool) yourself" >&2
  exit 1
fi

packages=()
# The browser test drives Debian's chromium: Playwright's own browser download needs internet.
[ "$need_chromium" = 1 ] && packages+=(chromium)
if [ "$need_postgres" = 1 ]; then
  # The audit test runs its own throwaway cluster with initdb/pg_ctl (own port, socket and data
  # folder), so only the server binaries are needed. Debian's package would create (and outside
  # containers start) a "main" cluster on 5432: skip it.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/no-main-cluster.conf
  packages+=(postgresql)
fi
# promtool comes with the Prometheus server, which the tests never run: its service is stopped and
# disabled below where the package started one.
[ "$need_promtool" = 1 ] && packages+=(prometheus)
echo "install-test-deps: apt-get install ${packages[*]}"
# Two commands rather than `update && install`: set -e ignores a failure left of `&&`.
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
if [ "$need_promtool" = 1 ]; then
  # In a container apt's policy-rc.d usually keeps it from starting; elsewhere it starts on 9090.
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now prometheus.service || true
  elif [ -x /etc/init.d/prometheus ]; then
    /etc/init.d/prometheus stop || true
    update-rc.d prometheus disable || true
  fi
fi
