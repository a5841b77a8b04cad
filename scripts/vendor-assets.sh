#!/usr/bin/env bash
# Copy the pinned front-end packages from node_modules into static/vendor/, with their licences
# and a VERSIONS file. The result is committed: the product never loads anything from a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --silent
out=static/vendor
rm -rf "$out/tabler" "$out/echarts"
mkdir -p "$out/tabler" "$out/echarts"
cp node_modules/@tabler/core/dist/css/tabler.min.css "$out/tabler/"
cp node_modules/@tabler/core/dist/js/tabler.min.js "$out/tabler/"
# @tabler/core ships no LICENSE file; its package.json says MIT and names the holder.
node -p "const p=require('./node_modules/@tabler/core/package.json'); '@tabler/core '+p.version+' is licensed '+p.license+', (c) '+(p.author&&p.author.name||p.author)+'. Full text: https://github.com/tabler/tabler/blob/main/LICENSE'" > "$out/tabler/LICENSE"
cp node_modules/echarts/dist/echarts.min.js "$out/echarts/"
cp node_modules/echarts/LICENSE "$out/echarts/LICENSE"
# The source maps are not vendored: drop the comments that point at them, or the production
# static storage (whitenoise's manifest) refuses to collect the files.
sed -i -E 's@/\*# sourceMappingURL=[^*]*\*/@@; s@//# sourceMappingURL=.*$@@' \
  "$out/tabler/tabler.min.css" "$out/tabler/tabler.min.js" "$out/echarts/echarts.min.js"
{
  echo "@tabler/core $(node -p "require('./node_modules/@tabler/core/package.json').version")"
  echo "echarts $(node -p "require('./node_modules/echarts/package.json').version")"
  echo "htmx: shipped by django-htmx (see pyproject.toml)"
} > "$out/VERSIONS"
cat "$out/VERSIONS"
