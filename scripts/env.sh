# Sourced by every project script: puts the project's tools on PATH and picks the Rust
# toolchain that has the wasm32 target (rustup's default if it has one, else the
# "debian-web" toolchain that scripts/setup links).
_cf_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) PATH="$HOME/.cargo/bin:$PATH" ;; esac
case ":$PATH:" in *":$_cf_root/node_modules/.bin:"*) ;; *) PATH="$_cf_root/node_modules/.bin:$PATH" ;; esac
export PATH
if [ -z "${RUSTUP_TOOLCHAIN:-}" ] && command -v rustup >/dev/null 2>&1; then
  _cf_sysroot="$(rustc --print sysroot 2>/dev/null || true)"
  if ! compgen -G "$_cf_sysroot/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib" >/dev/null \
     && rustup toolchain list 2>/dev/null | grep -q '^debian-web'; then
    export RUSTUP_TOOLCHAIN=debian-web
  fi
  unset _cf_sysroot
fi
unset _cf_root

# The standard library's source of toolchain $1 ("" for the current one):
# <sysroot>/lib/rustlib/src/rust, printed if it holds library/std (rustup's rust-src
# component; Debian's rust-web-src). scripts/build compiles std from it for size.
cf_std_src() {
  local sysroot
  sysroot="$(env ${1:+RUSTUP_TOOLCHAIN="$1"} rustc --print sysroot 2>/dev/null)" || return 1
  [ -f "$sysroot/lib/rustlib/src/rust/library/std/Cargo.toml" ] || return 1
  echo "$sysroot/lib/rustlib/src/rust"
}

# The first toolchain with the std source: the current one (printed as "") or, with
# rustup, "debian-web" (scripts/setup links it on the Debian route). Fails if none has it.
cf_std_src_toolchain() {
  if cf_std_src "" >/dev/null; then echo ""; return 0; fi
  if [ "${RUSTUP_TOOLCHAIN:-}" != debian-web ] && command -v rustup >/dev/null 2>&1 \
    && rustup toolchain list 2>/dev/null | grep -q '^debian-web' && cf_std_src debian-web >/dev/null; then
    echo debian-web; return 0
  fi
  return 1
}

# wasm-opt's flags for what a host ships (scripts/build explains each; scripts/build
# adds --strip-debug, scripts/size-breakdown keeps the names with -g).
cf_wasm_opt_flags=(
  -Oz --one-caller-inline-max-function-size 0 --always-inline-max-function-size 5
  --low-memory-unused --converge --reorder-functions-by-name --strip-producers
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue
)
