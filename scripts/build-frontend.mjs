// Builds the front end into static/build/ (git-ignored): GOV.UK Frontend compiled
// with Arial (the GDS Transport font and the crown are for GOV.UK only), its
// JavaScript and images, htmx, and GOV.UK's accessible-autocomplete (its styles are
// compiled into app.css by app.scss). Run by `make` after `npm ci`.
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const css = sass.compile(join(root, "frontend", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "app.css"), css.css);

copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), { recursive: true });
cpSync(join(govuk, "assets", "manifest.json"), join(out, "govuk", "assets", "manifest.json"));
copyFileSync(
  join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"),
  join(out, "htmx.min.js"),
);
// With its source map: the script names it, and collectstatic's manifest storage refuses
// a file that references one missing.
for (const name of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.js.map"]) {
  copyFileSync(join(root, "node_modules", "accessible-autocomplete", "dist", name), join(out, name));
}
console.log(`Front end built into ${out}`);
