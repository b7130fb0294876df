// Builds the static files Django serves from frontend/build/ (never committed).
// GOV.UK Frontend and MoJ Frontend come from node_modules, pinned by package-lock.json.
// Their CSS refers to /assets/..., which is the service's STATIC_URL, so fonts and images
// are copied to the root of the build.
import { cpSync, mkdirSync, rmSync, copyFileSync } from "node:fs";

const out = "build";
const govuk = "node_modules/govuk-frontend/dist/govuk";
const moj = "node_modules/@ministryofjustice/frontend/moj";

rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/govuk`, { recursive: true });
mkdirSync(`${out}/moj`, { recursive: true });

cpSync(`${govuk}/assets`, out, { recursive: true });
cpSync(`${moj}/assets/images`, `${out}/images`, { recursive: true });
for (const f of ["govuk-frontend.min.css", "govuk-frontend.min.js"]) {
  copyFileSync(`${govuk}/${f}`, `${out}/govuk/${f}`);
}
for (const f of ["moj-frontend.min.css", "moj-frontend.min.js"]) {
  copyFileSync(`${moj}/${f}`, `${out}/moj/${f}`);
}
cpSync("src", `${out}/app`, { recursive: true });
console.log("frontend built into frontend/build/");
