// Copies the front-end packages installed by `npm ci` into static/vendor/ (not committed).
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";

const copies = [
  ["node_modules/bootstrap/dist/css/bootstrap.min.css", "static/vendor/bootstrap/bootstrap.min.css"],
  ["node_modules/bootstrap/dist/js/bootstrap.bundle.min.js", "static/vendor/bootstrap/bootstrap.bundle.min.js"],
  ["node_modules/bootstrap-icons/font/bootstrap-icons.min.css", "static/vendor/bootstrap-icons/bootstrap-icons.min.css"],
  ["node_modules/bootstrap-icons/font/fonts", "static/vendor/bootstrap-icons/fonts"],
  ["node_modules/htmx.org/dist/htmx.min.js", "static/vendor/htmx/htmx.min.js"],
];

rmSync("static/vendor", { recursive: true, force: true });
for (const [from, to] of copies) {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
  console.log(`assets: ${from} -> ${to}`);
}
