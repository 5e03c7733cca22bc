// The review queue without reloads: new pending claims arrive as server-sent events and are
// inserted in score order, with their Take button; a claim that leaves the queue says why
// ("taken by rita" in grey, a verdict struck through) and its button is disabled. All text goes
// in through textContent, never as HTML.
"use strict";
(function () {
  var body = document.getElementById("queue-body");
  if (!body || !window.EventSource) return;
  var live = document.getElementById("queue-live");
  var total = document.getElementById("queue-total");
  var csrf = body.getAttribute("data-csrf") || "";
  // The page's words in its language, from the server.
  function word(name) {
    return body.getAttribute("data-t-" + name) || name;
  }
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
    // The pick for a bulk action, as the page's own rows have it (team::select_cell).
    var pick = document.createElement("input");
    pick.type = "checkbox";
    pick.name = "claim";
    pick.setAttribute("form", "bulk");
    pick.value = claim.id + ":" + claim.revision;
    pick.setAttribute("aria-label", claim.content);
    cell(row, null, "pick").appendChild(pick);
    cell(row, claim.score.toFixed(2), "num");
    var link = document.createElement("a");
    link.href = "/claims/" + encodeURIComponent(claim.id);
    link.textContent = claim.content;
    cell(row, null).appendChild(link);
    cell(row, claim.source === null ? "\u2014" : claim.source);
    var sourcing = cell(row, null);
    badge(sourcing, claim.sourcing_shown || claim.sourcing, "s-" + claim.sourcing);
    if (claim.hedged) badge(sourcing, word("hedged"), "s-hedged");
    cell(row, claim.article || "");
    var when = document.createElement("time");
    when.setAttribute("datetime", claim.extracted_at);
    when.textContent = claim.extracted_at;
    cell(row, null, "time").appendChild(when);
    if (window.claimledgerLocalTimes) window.claimledgerLocalTimes(row);
    var form = document.createElement("form");
    form.className = "inline";
    form.method = "post";
    form.action = "/claims/" + encodeURIComponent(claim.id) + "/take";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf";
    token.value = csrf;
    form.appendChild(token);
    var take = document.createElement("button");
    take.type = "submit";
    take.textContent = word("take");
    form.appendChild(take);
    cell(row, null).appendChild(form);
  }

  // The row's last cell says why the claim left; its buttons no longer offer anything.
  function leave(row, gone) {
    var buttons = row.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    var why = word("gone");
    if (gone.why === "taken") why = word("taken-by") + " " + gone.by;
    if (gone.why === "decided") why = word(gone.status);
    row.className = gone.why === "taken" ? "taken" : "done";
    var last = row.cells[row.cells.length - 1];
    var note = document.createElement("span");
    note.className = "why";
    note.textContent = why;
    last.appendChild(document.createTextNode(" "));
    last.appendChild(note);
  }

  var source = new EventSource(body.getAttribute("data-events"));
  source.addEventListener("claim", function (event) {
    var claim = JSON.parse(event.data);
    if (rowOf(claim.id)) return;
    insert(claim);
    bump(1);
    added += 1;
    live.textContent = (added === 1 ? word("new-one") : word("new-many")).replace("{n}", added);
  });
  source.addEventListener("gone", function (event) {
    var gone = JSON.parse(event.data);
    var row = rowOf(gone.id);
    if (row && row.className !== "done" && row.className !== "taken") {
      leave(row, gone);
      bump(-1);
    }
  });
})();
