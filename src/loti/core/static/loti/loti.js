// Starts GOV.UK Frontend's components (service navigation menu, notification
// banners, error summaries, ...). Loaded as <script type="module">, so it only
// runs in browsers that GOV.UK Frontend supports; base.html's inline script adds
// the matching `govuk-frontend-supported` class to <body>.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
