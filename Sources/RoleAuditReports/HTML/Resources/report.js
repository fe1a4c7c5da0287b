// roleaudit report filters: an enhancement. Without JavaScript every row is shown and the
// form stays hidden. Filters can be preset from the address: report.html#severity=high&q=admin
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("findings-table");
  if (!form || !table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var keys = ["severity", "rule", "platform", "scope", "status"];
  var count = document.getElementById("filter-count");
  // Printing stops after the first rows shown (the page says so in #print-cut).
  var printLimit = parseInt(table.getAttribute("data-print-limit"), 10) || Infinity;
  var cut = document.getElementById("print-cut");
  form.hidden = false;
  function text(row) {
    if (row._text === undefined) { row._text = row.textContent.toLowerCase(); }
    return row._text;
  }
  function apply() {
    var wanted = {};
    keys.forEach(function (k) { wanted[k] = form.elements[k].value; });
    var q = form.elements.q.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = keys.every(function (k) { return !wanted[k] || row.getAttribute("data-" + k) === wanted[k]; })
        && (!q || text(row).indexOf(q) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
      row.classList.toggle("beyond-print", ok && shown > printLimit);
    });
    if (cut) { cut.hidden = shown <= printLimit; }
    count.textContent = "Showing " + shown + " of " + rows.length + " findings";
    var state = keys.filter(function (k) { return wanted[k]; }).map(function (k) { return k + "=" + encodeURIComponent(wanted[k]); });
    if (q) { state.push("q=" + encodeURIComponent(q)); }
    if (history.replaceState) { history.replaceState(null, "", state.length ? "#" + state.join("&") : location.pathname); }
  }
  // A malformed escape in the address (#q=%E0%A4%A) is taken as typed: decodeURIComponent would
  // throw and stop every filter.
  function decoded(text) {
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }
  function preset() {
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") === -1) { return; }
    hash.split("&").forEach(function (pair) {
      var kv = pair.split("=");
      var el = form.elements[kv[0]];
      if (el && (keys.indexOf(kv[0]) !== -1 || kv[0] === "q")) { el.value = decoded(kv[1] || ""); }
    });
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  preset();
  apply();
  // Printing opens the evidence of a rule's first findings (not those marked beyond-print) but an
  // info note's; principals print as their one line (their grants are entitlements.csv's rows). A
  // section the reader opened prints open.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("#rules details:not([open]):not([data-severity=info]):not(.beyond-print)"), function (d) { d.open = true; return true; });
  });
  window.addEventListener("afterprint", function () { opened.forEach(function (d) { d.open = false; }); opened = []; });
}());
