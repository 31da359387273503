// Progressive enhancement for the form builder (workspace pages). Pages work without it: every
// change is a plain form post and the page reloads with the updated preview.
(function () {
  "use strict";

  // Ask before removing something: its id stays taken, so a removal cannot simply be undone.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();

// The coding queue's keyboard (manage/coding_queue.html, which documents the keys): 1–9 accept
// suggestion n, Shift+1–9 or x then 1–9 reject it, n goes to the next story, ? shows the
// shortcuts. Each key presses the button it stands for, so the page works the same without it.
(function () {
  "use strict";
  var queue = document.querySelector("[data-coding-queue]");
  if (!queue) {
    return;
  }
  var status = queue.querySelector("[data-key-status]");
  var rejecting = false;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName) && target.type !== "submit");
  }

  function press(selector, missing) {
    var el = queue.querySelector(selector);
    if (!el) {
      say(missing);
      return;
    }
    say("");
    el.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || typing(event.target)) {
      return;
    }
    // Digits by their key position, so Shift+1 is "1" on every keyboard layout.
    var code = /^(?:Digit|Numpad)([1-9])$/.exec(event.code || "");
    var n = code ? code[1] : (/^[1-9]$/.test(event.key) ? event.key : null);
    if (n) {
      event.preventDefault();
      if (event.shiftKey || rejecting) {
        rejecting = false;
        press("[data-reject='" + n + "']", "Voorstel " + n + " kan niet (meer) worden afgewezen.");
      } else {
        press("[data-accept='" + n + "']", "Voorstel " + n + " kan niet (meer) worden geaccepteerd.");
      }
      return;
    }
    if (event.key === "x" || event.key === "X") {
      event.preventDefault();
      rejecting = true;
      say("Afwijzen: kies het nummer van het voorstel (Esc annuleert).");
    } else if (event.key === "Escape" && rejecting) {
      rejecting = false;
      say("");
    } else if (event.key === "n" || event.key === "N") {
      event.preventDefault();
      press("[data-next]", "Er is geen volgend verhaal.");
    } else if (/^[vtgVTG]$/.test(event.key)) {
      // Leefwereldtoets: v(oor), t(egen), g(emengd) on the first assumption.
      event.preventDefault();
      press("[data-toets='" + event.key.toLowerCase() + "']", "Deze campagne heeft geen aanname om het verhaal aan te koppelen.");
    } else if (event.key === "?") {
      event.preventDefault();
      var help = queue.querySelector("[data-shortcuts]");
      if (help) {
        help.open = !help.open;
        if (help.open) {
          help.querySelector("summary").focus();
        }
      }
    }
  });
})();
