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
