// Scrolls the article pane (only the pane, not the page) so the claim's sentence is in view.
"use strict";
(function () {
  var pane = document.getElementById("article-body");
  var sentence = document.getElementById("claim-sentence");
  if (!pane || !sentence) return;
  pane.scrollTop = Math.max(0, sentence.offsetTop - pane.clientHeight / 3);
})();
