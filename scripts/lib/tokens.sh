# Token kinds for the scripts' local fleets. Sourced after common.sh, not executed.
#   BKV_TOKEN_KIND=softhsm (default): one SoftHSM2 token directory per token, created with
#                                     `bkv token init`;
#   BKV_TOKEN_KIND=nss:               one NSS softokn database per token, created with certutil
#                                     and loaded directly through pkcs11.init-args.
# Each token gets a directory with its PIN files and a bkv config, token.properties.

BKV_TOKEN_KIND="${BKV_TOKEN_KIND:-softhsm}"
NSS_SOFTOKN_DEFAULT=/usr/lib/x86_64-linux-gnu/libsoftokn3.so

# Locates NSS's softokn (Debian/Ubuntu package libnss3).
nss_softokn() {
  for f in "${BKV_NSS_SOFTOKN:-}" "$NSS_SOFTOKN_DEFAULT" /usr/lib/aarch64-linux-gnu/libsoftokn3.so \
           /usr/lib64/libsoftokn3.so; do
    [ -n "$f" ] && [ -f "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

# The PKCS#11 module of the current token kind.
token_module() {
  case "$BKV_TOKEN_KIND" in
    softhsm) softhsm_module ;;
    nss) nss_softokn ;;
    *) die "BKV_TOKEN_KIND is '$BKV_TOKEN_KIND'; expected softhsm or nss" ;;
  esac
}

# token_env DIR: the environment a process needs to see the token in DIR (SoftHSM2 reads its
# token directory from SOFTHSM2_CONF; NSS takes everything from the config's init args).
token_env() {
  case "$BKV_TOKEN_KIND" in
    softhsm) echo "SOFTHSM2_CONF=$1/softhsm2.conf" ;;
    nss) echo "BKV_TOKEN_KIND=nss" ;;
  esac
}

# new_token_dir DIR LABEL BKV: creates the token in DIR with generated PINs (mode 600) and
# writes DIR/token.properties; BKV is the command that runs bkv. Prints the config's path.
new_token_dir() {
  local dir="$1" label="$2" bkv_cmd="$3" module
  module="$(token_module)" || die "no $BKV_TOKEN_KIND PKCS#11 module found (scripts/setup installs it)"
  mkdir -p "$dir"
  (umask 077
   head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/user.pin"
   head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/so.pin")
  case "$BKV_TOKEN_KIND" in
    softhsm)
      write_softhsm_conf "$dir" >/dev/null
      cat > "$dir/token.properties" <<CFG
pkcs11.module      = $module
pkcs11.token-label = $label
pkcs11.user-pin    = file:$dir/user.pin
pkcs11.so-pin      = file:$dir/so.pin
CFG
      SOFTHSM2_CONF="$dir/softhsm2.conf" $bkv_cmd token init --token "$dir/token.properties" >&2
      ;;
    nss)
      # The database's password is the user PIN; softokn has no separate SO PIN, so the SO
      # steps log in with the same password.
      command -v certutil >/dev/null 2>&1 || die "certutil is missing (libnss3-tools; scripts/setup installs it)"
      mkdir -p "$dir/nssdb"
      certutil -N -d "sql:$dir/nssdb" -f "$dir/user.pin" >&2
      cp "$dir/user.pin" "$dir/so.pin"
      cat > "$dir/token.properties" <<CFG
pkcs11.module      = $module
pkcs11.token-label = $label
pkcs11.user-pin    = file:$dir/user.pin
pkcs11.so-pin      = file:$dir/so.pin
pkcs11.init-args   = configdir='sql:$dir/nssdb' certPrefix='' keyPrefix='' secmod='' flags=optimizeSpace dbTokenDescription='$label'
CFG
      echo "  created NSS database $dir/nssdb, token '$label'" >&2
      ;;
  esac
  echo "$dir/token.properties"
}
