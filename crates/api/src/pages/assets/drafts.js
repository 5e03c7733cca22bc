// Keeps what is typed in a form marked `data-draft` in this tab's sessionStorage, keyed by the
// form's action, so nothing typed is lost when the session ends mid-form: the sign-in comes
// back to the form's page and the draft fills the fields the page left empty.
// A sent draft is forgotten once the sending went through: the page shows a notice, or the
// browser landed on a page without that form (the editor's submit leads to the article).
"use strict";
(function () {
  var store;
  try {
    store = window.sessionStorage;
  } catch (e) {
    return;
  }
  if (!store) return;
  var PREFIX = "claimledger-draft:";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-draft]"));
  var succeeded = document.querySelector("p.notice") !== null;
  var onSignIn = location.pathname === "/signin";

  function key(form) {
    return PREFIX + form.getAttribute("action");
  }
  function fields(form) {
    return Array.prototype.filter.call(
      form.querySelectorAll("input[name], textarea[name], select[name]"),
      function (field) {
        return ["hidden", "file", "password", "submit"].indexOf(field.type) < 0;
      }
    );
  }
  function read(name) {
    try {
      return JSON.parse(store.getItem(name) || "null");
    } catch (e) {
      return null;
    }
  }
  function save(form, sent) {
    var values = {};
    fields(form).forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) values[field.name + "=" + field.value] = true;
      } else {
        values[field.name] = field.value;
      }
    });
    try {
      store.setItem(key(form), JSON.stringify({ sent: sent, values: values }));
    } catch (e) {
      // A full or refused storage only loses the draft.
    }
  }
  // Fills only what the page left empty: a refused form already comes back as it was sent.
  function restore(form, values) {
    var checkedNames = {};
    fields(form).forEach(function (field) {
      if ((field.type === "radio" || field.type === "checkbox") && field.checked) {
        checkedNames[field.name] = true;
      }
    });
    fields(form).forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        if (!checkedNames[field.name] && values[field.name + "=" + field.value]) {
          field.checked = true;
        }
      } else if (field.value === "" && typeof values[field.name] === "string") {
        field.value = values[field.name];
      }
    });
  }

  if (!onSignIn) {
    var here = {};
    forms.forEach(function (form) {
      here[key(form)] = true;
    });
    for (var i = store.length - 1; i >= 0; i--) {
      var name = store.key(i);
      if (!name || name.indexOf(PREFIX) !== 0) continue;
      var draft = read(name);
      if (draft && draft.sent && (succeeded || !here[name])) store.removeItem(name);
    }
  }
  forms.forEach(function (form) {
    var draft = read(key(form));
    if (draft && draft.values) restore(form, draft.values);
    form.addEventListener("input", function () {
      save(form, false);
    });
    form.addEventListener("change", function () {
      save(form, false);
    });
    form.addEventListener("submit", function () {
      save(form, true);
    });
  });
})();

// Every `<time datetime>` in the reader's time zone (the user's setting on `<html
// data-time-zone>`, else the browser's) and the page's language; the UTC instant stays on
// hover. The queue calls it again for the rows it adds.
(function () {
  function localTimes(root) {
    var html = document.documentElement;
    var lang = html.lang || undefined;
    var zone = html.getAttribute("data-time-zone") || undefined;
    var nodes = (root || document).querySelectorAll("time[datetime]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var at = new Date(node.getAttribute("datetime"));
      if (isNaN(at.getTime())) continue;
      var options = { dateStyle: "medium", timeStyle: "short", timeZone: zone };
      try {
        node.textContent = at.toLocaleString(lang, options);
      } catch (e) {
        options.timeZone = undefined;
        node.textContent = at.toLocaleString(lang, options);
      }
      if (!node.title) {
        node.title = at.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
      }
    }
  }
  window.claimledgerLocalTimes = localTimes;
  localTimes(document);
})();

// The settings' time zone field offers the zones this browser knows.
(function () {
  var list = document.getElementById("time-zones");
  if (!list || !window.Intl || !Intl.supportedValuesOf) return;
  var zones = Intl.supportedValuesOf("timeZone");
  for (var i = 0; i < zones.length; i++) {
    var option = document.createElement("option");
    option.value = zones[i];
    list.appendChild(option);
  }
})();
