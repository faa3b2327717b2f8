// Progressive enhancement only: every page works without this file.
import { initAll as initGovuk } from "../frontend/js/govuk-frontend.min.js";
import { initAll as initMoj } from "../frontend/js/moj-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initGovuk();
initMoj();

// With htmx, the caseload filters apply as they change: the "Apply filters" button is then not needed.
document.querySelectorAll(".app-filters__apply").forEach((button) => {
  if (window.htmx && button.closest("[hx-get]")) button.hidden = true;
});
