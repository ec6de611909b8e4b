// Progressive enhancement for the proposal form: without JavaScript the "Check for similar
// work" button shows similar resources, proposals and projects; with it, the list follows the typing.
(function () {
  "use strict";
  var box = document.querySelector("[data-similar-url]");
  if (!box || !window.fetch) return;
  var form = box.closest("form");
  var fields = ["title", "problem", "outcome"].map(function (name) {
    return form.querySelector("[name='" + name + "']");
  }).filter(Boolean);
  var timer = null;
  var last = null;

  function text() {
    return fields.map(function (field) { return field.value; }).join(" ").trim();
  }

  function refresh() {
    var typed = text();
    if (typed === last || typed.length < 12) return;
    last = typed;
    var url = box.getAttribute("data-similar-url") + "?text=" + encodeURIComponent(typed.slice(0, 4000));
    var exclude = box.getAttribute("data-similar-exclude");
    if (exclude) url += "&exclude=" + encodeURIComponent(exclude);
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        // The fragment is the server's own template, escaped there.
        box.innerHTML = html;
        box.hidden = false;
        var heading = document.getElementById("similar-work");
        if (heading) heading.hidden = false;
      })
      .catch(function () {});
  }

  fields.forEach(function (field) {
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 600);
    });
  });
})();
