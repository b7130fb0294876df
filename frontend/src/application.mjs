// Progressive enhancement only: every page works without this file.
import { initAll as initGovUk } from "../govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../moj/moj-frontend.min.js";

initGovUk();
initMoj();
