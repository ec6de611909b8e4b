// Progressive enhancement for the ballot: while the voter changes it, say how many points
// are given (points allocation), how many proposals are chosen (approval) or what the basket
// costs against the budget (budget basket). Without JavaScript the server's check says the
// same when the ballot is sent.
(function () {
  "use strict";
  var form = document.querySelector("form[data-ballot]");
  if (!form) return;
  var region = form.querySelector("[data-ballot-total]");
  if (!region) return;
  var method = form.getAttribute("data-ballot");
  var points = parseInt(form.getAttribute("data-ballot-points"), 10);
  var approvals = parseInt(form.getAttribute("data-ballot-approvals"), 10);
  var budget = parseInt(form.getAttribute("data-ballot-budget"), 10);

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function pounds(amount) {
    return "£" + amount.toLocaleString("en-GB");
  }

  function pointsText() {
    var given = 0;
    var unreadable = 0;
    form.querySelectorAll("input[data-ballot-points]").forEach(function (input) {
      var typed = input.value.trim();
      if (typed === "") return;
      if (/^\d+$/.test(typed)) given += parseInt(typed, 10);
      else unreadable += 1;
    });
    var text;
    if (given < points) {
      text = "You have given " + given + " of " + plural(points, "point") + ": " +
        (points - given) + " left to give.";
    } else if (given > points) {
      text = "You have given " + given + " points: " + (given - points) +
        " more than the " + points + " you can give.";
    } else {
      text = "You have given all " + plural(points, "point") + ".";
    }
    if (unreadable) text += " Points must be whole numbers, like 2.";
    return text;
  }

  function checked() {
    return Array.prototype.slice.call(form.querySelectorAll("input[data-ballot-cost]:checked"));
  }

  function approvalText() {
    var chosen = checked().length;
    var text = "You have chosen " + chosen + " of up to " + plural(approvals, "proposal") + ".";
    if (chosen > approvals) text += " Choose " + (chosen - approvals) + " fewer.";
    return text;
  }

  function basketText() {
    var cost = checked().reduce(function (sum, input) {
      return sum + parseInt(input.getAttribute("data-ballot-cost"), 10);
    }, 0);
    if (cost > budget) {
      return "Your basket costs " + pounds(cost) + ": " + pounds(cost - budget) +
        " more than the budget of " + pounds(budget) + ".";
    }
    return "Your basket costs " + pounds(cost) + " of the budget of " + pounds(budget) +
      ": " + pounds(budget - cost) + " left.";
  }

  function update() {
    region.textContent =
      method === "points" ? pointsText() : method === "approval" ? approvalText() : basketText();
  }

  update();
  region.hidden = false;
  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();
