// Builds static/vendor/ (not committed) from the packages installed by `npm ci`:
// Bootstrap's Sass compiled with the portal's theme (scripts/theme/bootstrap.scss),
// and the other bundles copied with the source maps they name (collectstatic's
// manifest storage follows every sourceMappingURL and fails on a missing file).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as sass from "sass";

const copies = [
  ["node_modules/bootstrap/dist/js/bootstrap.bundle.min.js", "static/vendor/bootstrap/bootstrap.bundle.min.js"],
  ["node_modules/bootstrap-icons/font/bootstrap-icons.min.css", "static/vendor/bootstrap-icons/bootstrap-icons.min.css"],
  ["node_modules/bootstrap-icons/font/fonts", "static/vendor/bootstrap-icons/fonts"],
  ["node_modules/htmx.org/dist/htmx.min.js", "static/vendor/htmx/htmx.min.js"],
];
const theme = ["scripts/theme/bootstrap.scss", "static/vendor/bootstrap/bootstrap.min.css"];

function copyWithSourceMap(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
  console.log(`assets: ${from} -> ${to}`);
  if (!from.endsWith(".js") && !from.endsWith(".css")) return;
  const named = readFileSync(from, "utf8").match(/[#@] sourceMappingURL=(\S+?)\s*(?:\*\/)?\s*$/);
  if (!named) return;
  const mapFrom = `${dirname(from)}/${named[1]}`;
  if (!existsSync(mapFrom)) throw new Error(`assets: ${from} names ${named[1]}, which its package lacks`);
  cpSync(mapFrom, `${dirname(to)}/${named[1]}`);
  console.log(`assets: ${mapFrom} -> ${dirname(to)}/${named[1]}`);
}

rmSync("static/vendor", { recursive: true, force: true });
for (const [from, to] of copies) copyWithSourceMap(from, to);

const compiled = sass.compile(theme[0], {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true, // Bootstrap 5.3's own deprecation warnings (it still uses @import)
  silenceDeprecations: ["import"],
});
mkdirSync(dirname(theme[1]), { recursive: true });
writeFileSync(theme[1], compiled.css);
console.log(`assets: ${theme[0]} (Bootstrap ${JSON.parse(readFileSync("node_modules/bootstrap/package.json", "utf8")).version}) -> ${theme[1]}`);
