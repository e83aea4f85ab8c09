#!/usr/bin/env bash
# Installs the Debian packages the test suite needs beyond npm: chromium (the Web UI browser test)
# and the PostgreSQL server binaries (the audit store test). `npm test` runs this itself, saying
# so, when it runs as root and one is missing; otherwise run it once with sudo. Safe to re-run.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need_chromium=0
need_postgres=0
[ -x /usr/bin/chromium ] || need_chromium=1
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && ! command -v initdb >/dev/null; then
  need_postgres=1
fi
if [ "$need_chromium$need_postgres" = "00" ]; then
  echo "install-test-deps: chromium and the PostgreSQL server binaries are installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-test-deps: needs root to run apt-get: sudo bash scripts/install-test-deps.sh" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "install-test-deps: no apt-get: install chromium (at /usr/bin/chromium) and the PostgreSQL server (initdb, pg_ctl) yourself" >&2
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
echo "install-test-deps: apt-get install ${packages[*]}"
# Two commands rather than `update && install`: set -e ignores a failure left of `&&`.
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
