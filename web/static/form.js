// luister: progressive enhancement for the story form. Every page works without this file;
// it adds a live character count, a draggable triad, "not yet answered" for untouched sliders,
// focus on the error summary, and a copy button for the receipt code. No inline script (CSP).
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // Live character count, counted like the server: Unicode characters after trimming.
  function counter() {
    var area = document.getElementById("f-text");
    var out = document.getElementById("text-counter");
    if (!area || !out) return;
    var min = parseInt(area.dataset.min, 10), max = parseInt(area.dataset.max, 10), word = area.dataset.word || "";
    function update() {
      var n = Array.from(area.value.trim()).length;
      out.textContent = n + " / " + max + " " + word;
      out.classList.toggle("over", n > max || (n > 0 && n < min));
    }
    out.hidden = false;
    area.addEventListener("input", update);
    update();
  }

  // A slider always has a value; without touching it the teller has not answered. Mark it so
  // the server can tell "left alone" from "put in the middle".
  function dyads() {
    document.querySelectorAll("input[data-dyad]").forEach(function (range) {
      var form = range.form;
      if (!form) return;
      var name = "untouched." + range.dataset.dyad;
      var marker = form.querySelector('input[type=hidden][name="' + name + '"]');
      // On a fresh form every slider starts untouched; after "back" or an error the server
      // renders the marker again for sliders that were still untouched.
      if (!marker && form.dataset.fresh === "1") {
        marker = document.createElement("input");
        marker.type = "hidden";
        marker.name = name;
        marker.value = "1";
        range.insertAdjacentElement("afterend", marker);
      }
      if (!marker) return;
      function touched() { if (marker.parentNode) marker.parentNode.removeChild(marker); }
      range.addEventListener("input", touched);
      range.addEventListener("change", touched);
      range.addEventListener("keydown", touched);
      range.addEventListener("pointerdown", touched);
    });
  }

  // Triad: a dot in a triangle. The three number inputs stay the source of truth (and the
  // fallback); the dot reads and writes them as barycentric weights.
  var SVGNS = "http://www.w3.org/2000/svg";
  var A = { x: 150, y: 50 }, B = { x: 30, y: 245 }, C = { x: 270, y: 245 };

  function el(name, attrs) {
    var e = document.createElementNS(SVGNS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function weightsAt(p) {
    var det = (B.y - C.y) * (A.x - C.x) + (C.x - B.x) * (A.y - C.y);
    var a = ((B.y - C.y) * (p.x - C.x) + (C.x - B.x) * (p.y - C.y)) / det;
    var b = ((C.y - A.y) * (p.x - C.x) + (A.x - C.x) * (p.y - C.y)) / det;
    a = Math.max(0, a); b = Math.max(0, b);
    var c = Math.max(0, 1 - a - b);
    var s = a + b + c;
    return [a / s, b / s, c / s];
  }

  function pointOf(w) {
    return { x: w[0] * A.x + w[1] * B.x + w[2] * C.x, y: w[0] * A.y + w[1] * B.y + w[2] * C.y };
  }

  function triads() {
    document.querySelectorAll("[data-triad-for]").forEach(function (box) {
      var id = box.dataset.triadFor;
      var fieldset = box.closest("fieldset");
      var inputs = Array.prototype.slice.call(fieldset.querySelectorAll("input[data-corner]"));
      var labels = inputs.map(function (i) { return fieldset.querySelector('label[for="' + i.id + '"]').textContent; });
      var svg = el("svg", { viewBox: "-10 -20 320 330", "aria-hidden": "true" });
      var area = el("polygon", { points: [A, B, C].map(function (p) { return p.x + "," + p.y; }).join(" "), class: "area" });
      svg.appendChild(area);
      // Corner labels, wrapped to short lines so long labels never run into each other.
      function wrap(text, max) {
        var lines = [], line = "";
        text.split(/\s+/).forEach(function (word) {
          if (line && (line + " " + word).length > max) { lines.push(line); line = word; }
          else line = line ? line + " " + word : word;
        });
        if (line) lines.push(line);
        return lines;
      }
      [[A.x, 14, "middle", 34], [4, 266, "start", 20], [296, 266, "end", 20]].forEach(function (spec, i) {
        var lines = wrap(labels[i], spec[3]);
        var y0 = i === 0 ? spec[1] - (lines.length - 1) * 15 : spec[1];
        var text = el("text", { x: spec[0], y: y0, "text-anchor": spec[2] });
        lines.forEach(function (l, k) {
          var t = el("tspan", { x: spec[0], dy: k === 0 ? 0 : 15 });
          t.textContent = l;
          text.appendChild(t);
        });
        svg.appendChild(text);
      });
      // The triangle is for pointers; keyboards and screen readers use the number inputs, which
      // stay visible, so the SVG is hidden from assistive technology.
      var dot = el("circle", { r: 11, class: "dot", visibility: "hidden" });
      svg.appendChild(dot);
      var hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = box.dataset.hint || "";
      box.appendChild(svg);
      box.appendChild(hint);
      box.hidden = false;

      function current() {
        var v = inputs.map(function (i) { return parseFloat((i.value || "").replace(",", ".")); });
        if (v.every(isNaN)) return null;
        v = v.map(function (x) { return isNaN(x) || x < 0 ? 0 : x; });
        var s = v[0] + v[1] + v[2];
        return s > 0 ? v.map(function (x) { return x / s; }) : null;
      }
      function show() {
        var w = current();
        if (!w) { dot.setAttribute("visibility", "hidden"); return; }
        var p = pointOf(w);
        dot.setAttribute("cx", p.x);
        dot.setAttribute("cy", p.y);
        dot.setAttribute("visibility", "visible");
      }
      function set(w) {
        var pct = w.map(function (x) { return Math.round(x * 100); });
        var diff = 100 - pct[0] - pct[1] - pct[2];
        var big = pct.indexOf(Math.max.apply(null, pct));
        pct[big] += diff;
        inputs.forEach(function (i, k) { i.value = pct[k]; });
        var skip = document.getElementById("skip-" + id);
        if (skip) skip.checked = false;
        show();
      }
      function toSvg(evt) {
        var r = svg.getBoundingClientRect();
        return { x: -10 + (evt.clientX - r.left) * 320 / r.width, y: -20 + (evt.clientY - r.top) * 330 / r.height };
      }
      var dragging = false;
      svg.addEventListener("pointerdown", function (e) { dragging = true; svg.setPointerCapture(e.pointerId); set(weightsAt(toSvg(e))); });
      svg.addEventListener("pointermove", function (e) { if (dragging) set(weightsAt(toSvg(e))); });
      svg.addEventListener("pointerup", function () { dragging = false; });
      inputs.forEach(function (i) { i.addEventListener("input", show); });
      show();
    });
  }

  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  function copyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (btn) {
      if (!navigator.clipboard) return;
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var text = document.getElementById(btn.dataset.copy).textContent.trim();
        navigator.clipboard.writeText(text).then(function () { btn.textContent = btn.dataset.copied; });
      });
    });
  }

  onReady(function () {
    counter();
    dyads();
    triads();
    focusErrors();
    copyButtons();
  });
})();
