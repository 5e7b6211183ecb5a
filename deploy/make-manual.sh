#!/bin/sh
# Regenerates deploy/wax.1: swift-argument-parser's generate-manual plugin writes the commands
# and options from their help (it builds wax in release: several minutes), then the sections it
# cannot know (ENVIRONMENT, FILES, EXIT STATUS) come from `wax info --manual-sections`, and the
# exit codes `wax --help` lists are taken out of DESCRIPTION (mdoc would reflow them).
#
#   deploy/make-manual.sh                  # regenerate with the plugin
#   deploy/make-manual.sh GENERATED.1      # from a page the plugin already wrote
set -eu
cd "$(dirname "$0")/.."
generated=${1:-}
if [ -z "$generated" ]; then
    swift package generate-manual
    generated=.build/plugins/GenerateManual/outputs/wax/wax.1
fi
swift build --product wax
wax="$(swift build --show-bin-path)/wax"
sections=$(mktemp)
trap 'rm -f "$sections"' EXIT
"$wax" info --manual-sections > "$sections"
# DESCRIPTION: drop the blank line and the EXIT CODES block up to the option list; the end: the
# generator's bare ".Sh EXIT STATUS / .Ex -std" becomes the generated sections.
awk -v sections="$sections" '
    /^EXIT CODES$/ { skipping = 1; next }
    skipping && /^\.Bl / { skipping = 0 }
    skipping { next }
    /^\.Sh "EXIT STATUS"$/ { while ((getline line < sections) > 0) print line; done = 1; next }
    done { next }
    { print }
' "$generated" | grep -v '^$' > deploy/wax.1.new
mv deploy/wax.1.new deploy/wax.1
echo "make-manual: wrote deploy/wax.1"
