# Shared helpers for bkv's scripts. Sourced, not executed.

BKV_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BKV_JAR="$BKV_ROOT/cli/target/bkv.jar"
SOFTHSM_MODULE_DEFAULT=/usr/lib/softhsm/libsofthsm2.so

# Progress lines: bold only when stdout is a terminal and NO_COLOR is not set (no-color.org).
say() {
  if [ -t 1 ] && [ -z "${NO_COLOR+set}" ]; then
    printf '\033[1m==> %s\033[0m\n' "$*"
  else
    printf '==> %s\n' "$*"
  fi
}
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs Maven offline first (quick, no network), then online when that fails: a plugin or a
# dependency is missing from the local repository. Plugin versions are pinned in the parent pom.
# Debian's Maven 3.8 writes colour resets (ESC[0m) even in batch mode; keep them out of pipes and
# files like the rest of the scripts' output. The scripts run with pipefail, so Maven's exit
# status still decides.
mvn() {
  if [ -t 1 ] && [ -t 2 ]; then
    command mvn "$@"
  else
    command mvn "$@" 2>&1 | sed -u $'s/\x1b\\[[0-9;]*m//g'
  fi
}

mvn_offline_first() {
  mvn -o "$@" >/dev/null 2>&1 && return 0
  say "offline Maven run failed; retrying online: mvn $*"
  mvn "$@"
}

# bench_setup MODULE: builds MODULE with what it depends on (its test classes too), points
# SoftHSM2 at a scratch token directory under MODULE/target/bkv-bench, and sets module_dir and cp
# (MODULE's test class path) for the bench scripts.
bench_setup() {
  module_dir="$BKV_ROOT/$1"
  say "building $1 and its test classes"
  mvn_offline_first -q -B -pl "$1" -am install -DskipTests
  mvn_offline_first -q -B -pl "$1" dependency:build-classpath \
    -Dmdep.outputFile="$module_dir/target/bench.classpath" -Dmdep.includeScope=test
  export BKV_SOFTHSM_MODULE="${BKV_SOFTHSM_MODULE:-$(softhsm_module || true)}"
  export BKV_TEST_WORKDIR="$module_dir/target/bkv-bench"
  mkdir -p "$BKV_TEST_WORKDIR"
  export SOFTHSM2_CONF="$BKV_TEST_WORKDIR/softhsm2.conf"
  cp="$module_dir/target/test-classes:$module_dir/target/classes:$(cat "$module_dir/target/bench.classpath")"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Locates the SoftHSM2 module; Debian and Ubuntu put it in one of these.
softhsm_module() {
  for f in "${BKV_SOFTHSM_MODULE:-}" /usr/lib/softhsm/libsofthsm2.so \
           /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
    [ -n "$f" ] && [ -f "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

# Writes a softhsm2.conf whose token directory lives under $1 (never the system default).
write_softhsm_conf() {
  local dir="$1"
  mkdir -p "$dir/tokens"
  sed "s|@TOKENDIR@|$dir/tokens|" "$BKV_ROOT/softhsm-config/softhsm2.conf.template" > "$dir/softhsm2.conf"
  echo "$dir/softhsm2.conf"
}
