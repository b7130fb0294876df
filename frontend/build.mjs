// Builds the static files Django serves from frontend/build/ (never committed).
// GOV.UK Frontend and MoJ Frontend come from node_modules, pinned by package-lock.json.
// Their CSS refers to /assets/..., which is the service's STATIC_URL, so fonts and images
// are copied to the root of the build.
// The minified files end with a sourceMappingURL comment, so their .map files are shipped
// beside them: the vendor files stay byte-for-byte the pinned release, and `collectstatic`
// (which hashes every file a CSS or JS file refers to) finds what they name.
import { cpSync, mkdirSync, rmSync, copyFileSync } from "node:fs";

const out = "build";
const govuk = "node_modules/govuk-frontend/dist/govuk";
const moj = "node_modules/@ministryofjustice/frontend/moj";

rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/govuk`, { recursive: true });
mkdirSync(`${out}/moj`, { recursive: true });

cpSync(`${govuk}/assets`, out, { recursive: true });
cpSync(`${moj}/assets/images`, `${out}/images`, { recursive: true });
const withMaps = (files) => files.flatMap((f) => [f, `${f}.map`]);
for (const f of withMaps(["govuk-frontend.min.css", "govuk-frontend.min.js"])) {
  copyFileSync(`${govuk}/${f}`, `${out}/govuk/${f}`);
}
for (const f of withMaps(["moj-frontend.min.css", "moj-frontend.min.js"])) {
  copyFileSync(`${moj}/${f}`, `${out}/moj/${f}`);
}
cpSync("src", `${out}/app`, { recursive: true });
console.log("frontend built into frontend/build/");
