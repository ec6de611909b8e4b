#!/usr/bin/env bash
# Refresh the front-end files that loti ships, from the npm packages pinned in
# frontend/package.json (and frontend/package-lock.json).
#
# Only a maintainer who changes a version or frontend/loti.scss runs this; the
# outputs are committed, so installing or running loti never needs Node.
#
# Outputs (all overwritten):
#   src/loti/core/static/loti/loti.css          compiled from frontend/loti.scss
#   src/loti/core/static/loti/favicon.svg       the service's own icon (no crown)
#   src/loti/core/static/vendor/govuk-frontend/ govuk-frontend.min.js (ES module)
#   src/loti/core/static/vendor/vega/           vega, vega-lite, vega-embed (UMD),
#                                               vega-interpreter (wrapped, see below)
#   src/loti/core/static/vendor/VERSIONS.txt    package, version, licence, files
#   src/loti/core/static/vendor/LICENSES.txt    licence texts of what is shipped
#   tests/browser/vendor/axe.min.js             for the browser tests only
#   tests/core/vendor/vega-lite-schema.json     for the tests of chart specs
#
# Usage: bash frontend/vendor.sh   (from any directory)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
static="$root/src/loti/core/static"
vendor="$static/vendor"
nm="$here/node_modules"

cd "$here"
# --ignore-scripts: nothing here needs an install script (sass is pure JS).
npm ci --ignore-scripts --no-audit --no-fund

version_of() {
  node -p "require('$nm/$1/package.json').version"
}
licence_of() {
  node -p "require('$nm/$1/package.json').license"
}

# Copy a file, dropping the sourceMappingURL comment: the .map files are not
# shipped, and a dangling reference breaks hashed static-file storages.
copy_js() {
  sed -e 's#//[#@] sourceMappingURL=[^[:space:]]*##' "$1" > "$2"
}

# --- CSS ---------------------------------------------------------------------
mkdir -p "$static/loti"
"$nm/.bin/sass" \
  --load-path="$nm" \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  "$here/loti.scss" "$static/loti/loti.css"

if grep -q '@font-face' "$static/loti/loti.css"; then
  echo "vendor.sh: loti.css has @font-face rules; GDS Transport must not be used" >&2
  exit 1
fi

# --- Our own favicon (the GOV.UK favicons show the crown) --------------------
cat > "$static/loti/favicon.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="4" fill="#1d70b8"/><path fill="#fff" d="M9 6h5v15h10v5H9z"/></svg>
SVG

# --- JavaScript --------------------------------------------------------------
rm -rf "$vendor/govuk-frontend" "$vendor/vega"
mkdir -p "$vendor/govuk-frontend" "$vendor/vega"

copy_js "$nm/govuk-frontend/dist/govuk/govuk-frontend.min.js" \
  "$vendor/govuk-frontend/govuk-frontend.min.js"

copy_js "$nm/vega/build/vega.min.js" "$vendor/vega/vega.min.js"
copy_js "$nm/vega-lite/build/vega-lite.min.js" "$vendor/vega/vega-lite.min.js"
copy_js "$nm/vega-embed/build/vega-embed.min.js" "$vendor/vega/vega-embed.min.js"

# vega-interpreter (the CSP-safe expression evaluator) ships only as an ES module
# that imports vega-util by its bare name. The vega UMD bundle already contains
# vega-util, so wrap the module as a classic script that takes those names from
# the `vega` global and publishes `window.vegaInterpreter.expressionInterpreter`.
# Only needed because vega.min.js does not export `expressionInterpreter` itself.
if grep -q 'expressionInterpreter' "$nm/vega/build/vega.min.js"; then
  echo "vendor.sh: vega.min.js now exports expressionInterpreter; drop vega-interpreter" >&2
fi
INTERPRETER_VERSION="$(version_of vega-interpreter)" node - \
  "$nm/vega-interpreter/build/vega-interpreter.js" "$vendor/vega/vega-interpreter.js" <<'JS'
const fs = require("fs");
const [src, dest] = process.argv.slice(2);
let code = fs.readFileSync(src, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, "");
const importRe = /^import \{([^}]*)\} from 'vega-util';\n/m;
const exportRe = /^export \{ expression as expressionInterpreter \};\n?/m;
const imp = code.match(importRe);
if (!imp || !exportRe.test(code)) {
  throw new Error("vega-interpreter's module layout changed; update vendor.sh");
}
code = code.replace(importRe, "").replace(exportRe, "");
if (/^\s*(import|export)\b/m.test(code)) {
  throw new Error("vega-interpreter has other imports or exports; update vendor.sh");
}
const names = imp[1].split(",").map((s) => s.trim()).filter(Boolean);
const out = `/*! vega-interpreter ${process.env.INTERPRETER_VERSION} | BSD-3-Clause | Copyright (c) 2015-2023, University of Washington Interactive Data Lab
 * Wrapped as a classic script by frontend/vendor.sh: load after vega.min.js. */
(function (global) {
"use strict";
const vega = global.vega;
if (!vega) throw new Error("vega-interpreter: load vega.min.js first");
const { ${names.join(", ")} } = vega;
for (const name of ${JSON.stringify(names)}) {
  if (vega[name] === undefined) throw new Error("vega-interpreter: vega lacks " + name);
}
${code.trim()}

global.vegaInterpreter = Object.freeze({ expressionInterpreter: expression });
})(typeof globalThis !== "undefined" ? globalThis : self);
`;
fs.writeFileSync(dest, out);
JS

# --- axe-core, for the browser tests only (not part of the package) ----------
mkdir -p "$root/tests/browser/vendor"
cp "$nm/axe-core/axe.min.js" "$root/tests/browser/vendor/axe.min.js"
# The Vega-Lite JSON Schema, so the tests check every chart spec the Python code builds.
mkdir -p "$root/tests/core/vendor"
cp "$nm/vega-lite/build/vega-lite-schema.json" "$root/tests/core/vendor/vega-lite-schema.json"

# --- Versions and licences ---------------------------------------------------
{
  echo "# Front-end files vendored from npm by frontend/vendor.sh."
  echo "# Versions are pinned in frontend/package.json; do not edit these files by hand."
  echo "# package version licence files"
  echo "govuk-frontend $(version_of govuk-frontend) $(licence_of govuk-frontend) vendor/govuk-frontend/govuk-frontend.min.js loti/loti.css"
  echo "vega $(version_of vega) $(licence_of vega) vendor/vega/vega.min.js"
  echo "vega-lite $(version_of vega-lite) $(licence_of vega-lite) vendor/vega/vega-lite.min.js"
  echo "vega-embed $(version_of vega-embed) $(licence_of vega-embed) vendor/vega/vega-embed.min.js"
  echo "vega-interpreter $(version_of vega-interpreter) $(licence_of vega-interpreter) vendor/vega/vega-interpreter.js"
  echo "axe-core $(version_of axe-core) $(licence_of axe-core) tests/browser/vendor/axe.min.js (tests only, not shipped)"
  echo "sass $(version_of sass) $(licence_of sass) (build tool only: compiles loti/loti.css)"
} > "$vendor/VERSIONS.txt"

{
  echo "Licences of the third-party files in this directory (see VERSIONS.txt)."
  echo "The minified vega, vega-lite and vega-embed bundles also include their own"
  echo "dependencies (d3 modules and others), under those projects' permissive licences."
  echo
  echo "======================================================================"
  echo "govuk-frontend $(version_of govuk-frontend) (also compiled into ../loti/loti.css)"
  echo "======================================================================"
  cat <<'MIT'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
MIT
  for pkg in vega vega-lite vega-embed vega-interpreter; do
    echo
    echo "======================================================================"
    echo "$pkg $(version_of "$pkg")"
    echo "======================================================================"
    cat "$nm/$pkg/LICENSE"
  done
} > "$vendor/LICENSES.txt"

echo "vendor.sh: done"
du -sh "$static/loti/loti.css" "$vendor" "$root/tests/browser/vendor/axe.min.js"
