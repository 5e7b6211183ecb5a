#!/bin/sh
# Installs wax for a shop's server: the binary, its themes, shell completions, a man page and
# the systemd units, into PREFIX (default /usr/local).
#
#   sudo deploy/install.sh                       # build in release and install into /usr/local
#   PREFIX=/opt/wax deploy/install.sh            # elsewhere
#   DESTDIR=/tmp/stage deploy/install.sh         # staged, for packaging
#   deploy/install.sh --configuration debug      # the debug build `swift test` made (CI checks the
#                                                # script so; it needs the toolchain's libraries)
#
# A release build carries the Swift runtime (--static-swift-stdlib): the server needs only the
# system libraries (libncursesw6, libsqlite3-0, libcurl4), not the toolchain. Building it needs
# the packages the README lists (libcurl4-openssl-dev among them).
set -eu
cd "$(dirname "$0")/.."

PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
configuration=release
while [ $# -gt 0 ]; do
    case "$1" in
        --configuration) configuration=$2; shift 2 ;;
        --prefix) PREFIX=$2; shift 2 ;;
        *) echo "install.sh: unknown option $1 (see the comment at the top of deploy/install.sh)" >&2; exit 2 ;;
    esac
done

# The system packages the build links against, checked before a build of many minutes that
# would end in "cannot find -lcurl". Debian's names; dpkg says what is installed, else
# pkg-config (another distribution) or, failing both, the build's own error.
packages="libncursesw5-dev libsqlite3-dev libcurl4-openssl-dev"
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for package in $packages; do
        installed=""
        # libncursesw5-dev is Debian's old name for libncurses-dev (either will do).
        alternatives=$package
        [ "$package" = libncursesw5-dev ] && alternatives="libncursesw5-dev libncurses-dev"
        for name in $alternatives; do
            dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed" && installed=yes
        done
        [ -n "$installed" ] || missing="$missing $package"
    done
elif command -v pkg-config >/dev/null 2>&1; then
    pkg-config --exists ncursesw || missing="$missing libncursesw5-dev"
    pkg-config --exists sqlite3 || missing="$missing libsqlite3-dev"
    pkg-config --exists libcurl || missing="$missing libcurl4-openssl-dev"
fi
if [ -n "$missing" ]; then
    echo "install.sh: missing system packages:$missing; install them first: sudo apt-get install$missing" >&2
    exit 2
fi

root="$DESTDIR$PREFIX"
# The Swift runtime links statically into release builds only (a static debug build doesn't link).
static=""
[ "$configuration" = release ] && static="--static-swift-stdlib"
echo "install.sh: building wax ($configuration)…"
swift build -c "$configuration" $static --product wax
wax="$(swift build -c "$configuration" $static --show-bin-path)/wax"

install -d "$root/bin" "$root/share/wax/themes" "$root/share/wax/systemd" "$root/share/man/man1" \
    "$root/share/bash-completion/completions" "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d"
install -m 0755 "$wax" "$root/bin/wax"
# Debug information is most of a release binary's 110 MB.
[ "$configuration" = release ] && command -v strip >/dev/null && strip "$root/bin/wax"
# Compiled into the binary too; installed here for people to copy and edit.
install -m 0644 themes/*.theme "$root/share/wax/themes/"

"$wax" --generate-completion-script bash > "$root/share/bash-completion/completions/wax"
"$wax" --generate-completion-script zsh > "$root/share/zsh/site-functions/_wax"
"$wax" --generate-completion-script fish > "$root/share/fish/vendor_completions.d/wax.fish"

# The man page: generated from the command's own help by swift-argument-parser's plugin and
# kept in deploy/ (a test checks it lists every command and option; regenerate it with
# `swift package generate-manual` and copy .build/plugins/GenerateManual/outputs/wax/wax.1).
install -m 0644 deploy/wax.1 "$root/share/man/man1/wax.1"

for unit in deploy/systemd/*.service; do
    sed "s|@PREFIX@|$PREFIX|g" "$unit" > "$root/share/wax/systemd/$(basename "$unit")"
    chmod 0644 "$root/share/wax/systemd/$(basename "$unit")"
done

echo "install.sh: installed $("$root/bin/wax" --version) into $root"
echo "install.sh: systemd units are in $root/share/wax/systemd (see the README: Install on the shop's server)"
