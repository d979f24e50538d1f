#!/usr/bin/env bash
# Open the Snakemake report in a real headless browser (Debian's chromium; this script installs nothing)
# and check it renders: the landing page at 1280x800 and 1920x1080 (its title and the "What this run
# concludes" line must be in view at both), one figure and the claims ledger are screenshotted and each
# screenshot must be non-blank; the rendered DOM must list the report's categories; the claims page must
# fit the report's content pane in a 1280-pixel window (940 px) without horizontal scrolling.
#
#   tests/report/check_report.sh report.html [outdir]
#
# Python: $PYTHON, else the active virtual environment ($VIRTUAL_ENV), else the project's .venv, else python3;
# it must import numpy and matplotlib (pip install -e .).
# Exit 0: rendered; 1: blank, hidden or broken; 2: a dependency is missing; 77: chromium not installed (skipped).
set -euo pipefail
here=$(dirname "$(realpath "$0")")
repo=$(realpath "$here/../..")
report=$(realpath "${1:-report.html}")
out=$(mkdir -p "${2:-$(mktemp -d)}" && realpath "${2:-$(mktemp -d)}")
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ -n "${PYTHON:-}" ]; then
    python=$PYTHON
elif [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
    python=$VIRTUAL_ENV/bin/python
elif [ -x "$repo/.venv/bin/python" ]; then
    python=$repo/.venv/bin/python
else
    python=python3
fi
[ -x "$chromium" ] || { echo "SKIP: $chromium not found (apt-get install chromium)"; exit 77; }
[ -s "$report" ] || { echo "FAIL: no report at $report (run snakemake: its last job writes report.html)"; exit 1; }
if ! missing=$("$python" -c "import numpy, matplotlib" 2>&1); then
    echo "FAIL: $python cannot import numpy and matplotlib, which the screenshot check needs:"
    echo "  ${missing##*$'\n'}"
    echo "  run it with the project's Python: PYTHON=.venv/bin/python $0 ... (after pip install -e .)"
    exit 2
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars
       --virtual-time-budget=15000)

# The report is a single-page app; to show a result, or to measure what is in view, we open a copy with a
# script appended that runs once the app has rendered and writes its answer into the page title.
probe() {  # probe <name> <width>x<height> <javascript returning the page title>
    local page="$out/$1.html" size=${2/x/,}
    cp "$report" "$page"
    cat >> "$page" <<JS
<script>setTimeout(function () { try { document.title = (function () { $3 })(); }
  catch (e) { document.title = "ERROR " + e; } }, 1000);</script>
JS
    "$chromium" "${flags[@]}" --window-size="$size" --screenshot="$out/$1.png" "file://$page" 2>/dev/null
    "$chromium" "${flags[@]}" --window-size="$size" --dump-dom "file://$page" 2>/dev/null > "$out/$1.dom.html"
    grep -o "<title>[^<]*</title>" "$out/$1.dom.html" | head -1 | sed 's/<[^>]*>//g' > "$out/$1.title"
}

show() {  # show <name> <javascript selecting a result key of the form k => ...>: the same call as a menu click
    probe "$1" 1280x800 "var p = Object.keys(results).find($2);
  app.setView({content: results[p].mime_type === 'image/png' ? 'img' : 'html', contentPath: results[p].data_uri,
               resultPath: p}); return 'shown ' + p;"
}

# In view: inside the window, and the element drawn at its first line is the element itself (not clipped by
# a scrolling ancestor, not covered).
in_view='function inView(text) {
    var nodes = Array.from(document.querySelectorAll("h1, h2, p, strong")).filter(n => n.textContent.includes(text));
    if (!nodes.length) return text + ": not in the page";
    var node = nodes[nodes.length - 1], box = node.getBoundingClientRect();
    var y = box.top + Math.min(box.height, 20) / 2, x = box.left + Math.min(box.width, 40) / 2;
    var hit = document.elementFromPoint(x, y);
    var seen = box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && hit && (node.contains(hit) || hit.contains(node));
    return seen ? "" : text + ": not in view (top " + Math.round(box.top) + " px, window " + window.innerHeight + " px)";
  }'
status=0
for size in 1280x800 1920x1080; do
    probe "landing-$size" "$size" "$in_view
  var problems = ['banditlab: a reproducible replication', 'What this run concludes'].map(inView).filter(s => s);
  return problems.length ? 'HIDDEN ' + problems.join('; ') : 'IN VIEW';"
    if [ "$(cat "$out/landing-$size.title")" != "IN VIEW" ]; then
        echo "FAIL: landing page at $size: $(cat "$out/landing-$size.title")"; status=1
    fi
done
cp "$out/landing-1280x800.png" "$out/landing.png"
show figure 'k => k.startsWith("figures/") && k.endsWith(".png")'
show claims 'k => k.endsWith("claims.html")'

for category in "Claims ledger" "Check tables" "Provenance"; do
    grep -q "$category" "$out/landing-1280x800.dom.html" || { echo "FAIL: category '$category' not rendered"; status=1; }
done
for name in figure claims; do
    grep -q "^shown " "$out/$name.title" || { echo "FAIL: $name not shown: $(cat "$out/$name.title")"; status=1; }
done

# The claims page itself, at the width of the report's content pane in a 1280-pixel window (940 px: the report
# shows the page in a frame of its own, which a script here cannot measure).
claims_page="$out/claims-page.html"
"$python" - "$report" "$claims_page" <<'PY'
import base64, json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
results = json.loads(re.search(r"var results = (\{.*?\});\n", text, re.S).group(1))
uri = next(value["data_uri"] for key, value in results.items() if key.endswith("claims.html"))
open(sys.argv[2], "wb").write(base64.b64decode(uri.split(",", 1)[1]))
PY
cat >> "$claims_page" <<'JS'
<script>document.title = document.documentElement.scrollWidth <= window.innerWidth ? "FITS"
  : "WIDER " + document.documentElement.scrollWidth + " px";</script>
JS
"$chromium" "${flags[@]}" --window-size=940,800 --dump-dom "file://$claims_page" 2>/dev/null \
    | grep -o "<title>[^<]*</title>" | head -1 | sed 's/<[^>]*>//g' > "$out/claims-page.title"
"$chromium" "${flags[@]}" --window-size=940,800 --screenshot="$out/claims-page.png" "file://$claims_page" 2>/dev/null
if [ "$(cat "$out/claims-page.title")" != "FITS" ]; then
    echo "FAIL: the claims page scrolls sideways in a 940 px frame: $(cat "$out/claims-page.title")"; status=1
fi

"$python" "$here/nonblank.py" "$out/landing-1280x800.png" "$out/landing-1920x1080.png" "$out/figure.png" \
    "$out/claims.png" || status=1
[ "$status" = 0 ] && echo "OK: report renders, headline in view at 1280x800 and 1920x1080; screenshots in $out"
exit "$status"
