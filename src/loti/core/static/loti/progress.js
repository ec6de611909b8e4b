// Progressive enhancement for a background task's progress page: without JavaScript the
// page offers a refresh link; with it, the bar and message update by themselves.
(function () {
  "use strict";
  var box = document.querySelector("[data-task-progress]");
  if (!box || !window.fetch) return;
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var state = box.querySelector("[data-progress-state]");
  var message = box.querySelector("[data-progress-message]");
  var refresh = document.querySelector("[data-progress-refresh]");
  var result = document.querySelector("[data-progress-result]");

  function show(status) {
    if (bar) bar.value = status.percent;
    if (text) text.textContent = status.done + " of " + status.total + " done (" + status.percent + "%)";
    if (state) {
      state.textContent = status.state_label;
      state.className = "govuk-tag " + (status.state === "failed" ? "govuk-tag--red" : status.state === "succeeded" ? "govuk-tag--green" : "govuk-tag--blue");
    }
    if (message) message.textContent = status.message;
    if (status.finished) {
      if (refresh) refresh.hidden = true;
      if (result) {
        result.hidden = false;
        if (status.result_url && !result.querySelector("a")) {
          var link = document.createElement("a");
          link.className = "govuk-link";
          link.href = status.result_url;
          link.textContent = "Continue";
          result.appendChild(link);
        }
      }
    }
    return status.finished;
  }

  function poll() {
    fetch(box.getAttribute("data-task-progress"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (status) { if (!show(status)) window.setTimeout(poll, 1500); })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
