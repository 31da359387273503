// Sessions, progressive enhancement only: every action also works without this file.
// - Presentation: the left/right arrow keys (and PageUp/PageDown, as presenter remotes send)
//   follow the page's previous/next links.
// - Session page: drag a note onto a cluster; this sets the note's select box and submits the
//   same form the select boxes use.
(function () {
  "use strict";
  var stage = document.querySelector(".stage");
  if (stage) {
    document.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var to = null;
      if (e.key === "ArrowRight" || e.key === "PageDown" || e.key === " ") to = stage.dataset.next;
      if (e.key === "ArrowLeft" || e.key === "PageUp") to = stage.dataset.prev;
      if (to) {
        e.preventDefault();
        window.location.href = to;
      }
    });
  }
  var form = document.getElementById("assign");
  if (!form) return;
  var dragged = null;
  form.querySelectorAll("[data-note]").forEach(function (li) {
    li.addEventListener("dragstart", function (e) {
      dragged = li.dataset.note;
      e.dataTransfer.setData("text/plain", dragged);
    });
  });
  document.querySelectorAll(".cluster.drop").forEach(function (zone) {
    zone.addEventListener("dragover", function (e) {
      e.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", function () {
      zone.classList.remove("over");
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      var id = e.dataTransfer.getData("text/plain") || dragged;
      var select = id && document.getElementById("cl-" + id);
      if (!select) return;
      select.value = zone.dataset.cluster;
      form.submit();
    });
  });
})();
