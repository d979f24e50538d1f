#!/usr/bin/env bash
# Open the Snakemake report in a real headless browser (Debian's chromium; this script installs nothing)
# and check it renders: the landing page, one figure and the claims ledger are screenshotted and each
# screenshot must be non-blank; the rendered DOM must list the report's categories.
#
#   snakemake --report report.html && tests/report/check_report.sh report.html [outdir]
#
# Exit 0: rendered; 1: blank or broken; 77: chromium not installed (skipped).
set -euo pipefail
report=$(realpath "${1:-report.html}")
out=$(mkdir -p "${2:-$(mktemp -d)}" && realpath "${2:-$(mktemp -d)}")
chromium=${CHROMIUM:-/usr/bin/chromium}
python=${PYTHON:-python3}
here=$(dirname "$(realpath "$0")")
[ -x "$chromium" ] || { echo "SKIP: $chromium not found (apt-get install chromium)"; exit 77; }
[ -s "$report" ] || { echo "FAIL: no report at $report (run snakemake --report report.html)"; exit 1; }

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1400,1000
       --virtual-time-budget=15000)

# The report is a single-page app; to show a result we open a copy with a one-line script that asks the
# app to display it (the same call as clicking it in the menu).
view() {  # view <name> <javascript selecting a result key of the form k => ...>
    local page="$out/$1.html"
    cp "$report" "$page"
    cat >> "$page" <<JS
<script>setTimeout(function () { try { var p = Object.keys(results).find($2);
  app.setView({content: results[p].mime_type === "image/png" ? "img" : "html", contentPath: results[p].data_uri, resultPath: p});
  document.title = "shown " + p; } catch (e) { document.title = "ERROR " + e; } }, 1000);</script>
JS
    "$chromium" "${flags[@]}" --screenshot="$out/$1.png" "file://$page" 2>/dev/null
    "$chromium" "${flags[@]}" --dump-dom "file://$page" 2>/dev/null | grep -o "<title>[^<]*</title>" > "$out/$1.title"
}

"$chromium" "${flags[@]}" --screenshot="$out/landing.png" "file://$report" 2>/dev/null
"$chromium" "${flags[@]}" --dump-dom "file://$report" 2>/dev/null > "$out/landing.dom.html"
view figure 'k => k.startsWith("figures/") && k.endsWith(".png")'
view claims 'k => k.endsWith("claims.html")'

status=0
for category in "Claims ledger" "Check tables" "Provenance"; do
    grep -q "$category" "$out/landing.dom.html" || { echo "FAIL: category '$category' not rendered"; status=1; }
done
for name in figure claims; do
    grep -q "<title>shown " "$out/$name.title" || { echo "FAIL: $name not shown: $(cat "$out/$name.title")"; status=1; }
done
"$python" "$here/nonblank.py" "$out/landing.png" "$out/figure.png" "$out/claims.png" || status=1
[ "$status" = 0 ] && echo "OK: report renders; screenshots in $out"
exit "$status"
