// Builds the pages' front-end files from the npm packages into src/safeguard/web/assets/ (served by
// WhiteNoise; nothing comes from a CDN). Run by `make assets` after `npm ci`; the output is not committed.
import { compile } from "sass";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../../..");
const modules = join(root, "node_modules");
const out = join(root, "src/safeguard/web/assets/frontend");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "js"), { recursive: true });

// GOV.UK Frontend fonts and images, and MoJ Frontend's images, side by side: the stylesheet is
// compiled with both packages' asset paths pointing at this one folder, relative to the CSS file.
cpSync(join(modules, "govuk-frontend/dist/govuk/assets/fonts"), join(out, "fonts"), { recursive: true });
cpSync(join(modules, "govuk-frontend/dist/govuk/assets/images"), join(out, "images"), { recursive: true });
cpSync(join(modules, "@ministryofjustice/frontend/moj/assets/images"), join(out, "images"), { recursive: true });

for (const [from, to] of [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj-frontend.min.js"],
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
]) {
  cpSync(join(modules, from), join(out, "js", to));
}

const css = compile(join(here, "app.scss"), {
  loadPaths: [root, modules],
  style: "compressed",
  quietDeps: true,
  // MoJ Frontend still calls mixins that GOV.UK Frontend 6 deprecates: warnings about the packages, not ours.
  logger: { warn() {}, debug() {} },
});
writeFileSync(join(out, "app.css"), css.css);
console.log(`Built front-end assets into ${out}`);
