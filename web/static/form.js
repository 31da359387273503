// luister: progressive enhancement for the story form. Every page works without this file;
// it adds a live character count, a draggable triad, sliders for the dyad scales that count only
// when moved, the consent block for the chosen age band,
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

  // A dyad without JavaScript is a scale of radio buttons that starts at "geen antwoord". Here
  // it becomes a slider that counts as answered only once it is moved: by pointer (mouse, pen,
  // touch) or by the keys that move a slider. Tab passes by without answering. Until then the
  // slider has no name, so nothing is sent and the server stores no answer.
  var MOVE_KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"];

  function dyadWords(range) {
    var v = parseInt(range.value, 10), d = range.dataset;
    if (v === 50) return d.middle + " " + d.left + " " + d.and + " " + d.right;
    if (v > 50) return v + "% " + d.towards + " " + d.right;
    return (100 - v) + "% " + d.towards + " " + d.left;
  }

  function dyads() {
    document.querySelectorAll("template[data-dyad-template]").forEach(function (tpl) {
      var id = tpl.dataset.dyadTemplate;
      var fallback = document.querySelector('[data-dyad-fallback="' + id + '"]');
      if (!fallback) return;
      var widget = tpl.content.cloneNode(true);
      fallback.parentNode.replaceChild(widget, fallback);
      var range = document.querySelector('input[data-dyad="' + id + '"]');
      var status = document.getElementById("dyad-status-" + id);
      var skip = document.getElementById("skip-" + id);
      function show() {
        var answered = range.hasAttribute("name");
        status.textContent = answered ? dyadWords(range) : range.dataset.none;
        range.setAttribute("aria-valuetext", answered ? dyadWords(range) : range.dataset.none);
        range.classList.toggle("unanswered", !answered);
      }
      function answer() {
        if (!range.hasAttribute("name")) range.name = range.dataset.name;
        if (skip) skip.checked = false;
        show();
      }
      if (range.dataset.answered === "1") range.name = range.dataset.name;
      range.addEventListener("input", answer);
      range.addEventListener("change", answer);
      range.addEventListener("pointerdown", answer);
      range.addEventListener("keydown", function (e) {
        if (MOVE_KEYS.indexOf(e.key) >= 0) answer();
      });
      show();
    });
  }

  // Parts that only make sense with the script (such as "put the dot" help).
  function jsOnly() {
    document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
  }

  // Consent per age band: show only the block for the chosen band (all blocks show without
  // JavaScript, each with its bands). A hidden block's checkbox is disabled, so it is not sent.
  function consentRules() {
    var rules = Array.prototype.slice.call(document.querySelectorAll("[data-consent-bands]"));
    if (!rules.length) return;
    var own = document.querySelector("[data-consent-own]");
    var radios = document.querySelectorAll('input[name="age_band"]');
    function update() {
      var chosen = document.querySelector('input[name="age_band"]:checked');
      var band = chosen ? chosen.value : null;
      var basis = "own";
      rules.forEach(function (rule) {
        var on = band !== null && rule.dataset.consentBands.split(" ").indexOf(band) >= 0;
        rule.hidden = !on;
        rule.querySelectorAll("input").forEach(function (i) { i.disabled = !on; });
        if (on) basis = rule.dataset.basis;
      });
      if (own) {
        own.hidden = basis === "legal_basis";
        own.querySelectorAll("input").forEach(function (i) { i.disabled = basis === "legal_basis"; });
      }
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
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
    jsOnly();
    consentRules();
    triads();
    focusErrors();
    copyButtons();
  });
})();
