// The review queue without reloads: new pending claims arrive as server-sent events and are
// inserted in score order; claims someone else reviewed are struck through. All text goes in
// through textContent, never as HTML.
"use strict";
(function () {
  var body = document.getElementById("queue-body");
  if (!body || !window.EventSource) return;
  var live = document.getElementById("queue-live");
  var total = document.getElementById("queue-total");
  var added = 0;

  function bump(by) {
    if (total) total.textContent = String(Math.max(0, parseInt(total.textContent, 10) + by));
  }

  function rowOf(id) {
    for (var i = 0; i < body.rows.length; i++) {
      if (body.rows[i].getAttribute("data-claim-id") === id) return body.rows[i];
    }
    return null;
  }

  function cell(row, text, className) {
    var td = row.insertCell(-1);
    if (className) td.className = className;
    if (text !== null) td.textContent = text;
    return td;
  }

  function badge(td, text, className) {
    var span = document.createElement("span");
    span.className = "badge " + className;
    span.textContent = text;
    td.appendChild(span);
    td.appendChild(document.createTextNode(" "));
  }

  function insert(claim) {
    var before = null;
    for (var i = 0; i < body.rows.length; i++) {
      if (parseFloat(body.rows[i].getAttribute("data-score")) < claim.score) {
        before = body.rows[i];
        break;
      }
    }
    var row = body.insertRow(before ? before.sectionRowIndex : -1);
    row.setAttribute("data-claim-id", claim.id);
    row.setAttribute("data-score", String(claim.score));
    row.className = "new";
    cell(row, claim.score.toFixed(2), "num");
    var link = document.createElement("a");
    link.href = "/claims/" + encodeURIComponent(claim.id);
    link.textContent = claim.content;
    cell(row, null).appendChild(link);
    cell(row, claim.source === null ? "\u2014" : claim.source);
    var sourcing = cell(row, null);
    badge(sourcing, claim.sourcing, "s-" + claim.sourcing);
    if (claim.hedged) badge(sourcing, "hedged", "s-hedged");
    cell(row, claim.article || "");
    cell(row, claim.extracted_at, "time");
  }

  var source = new EventSource(body.getAttribute("data-events"));
  source.addEventListener("claim", function (event) {
    var claim = JSON.parse(event.data);
    if (rowOf(claim.id)) return;
    insert(claim);
    bump(1);
    added += 1;
    live.textContent = added + (added === 1 ? " new claim" : " new claims") + " arrived.";
  });
  source.addEventListener("gone", function (event) {
    var row = rowOf(event.data);
    if (row && row.className !== "done") {
      row.className = "done";
      bump(-1);
    }
  });
})();
