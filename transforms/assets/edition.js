/* The reading edition's one script. Pages work without it; with it:
   - a note opens as a popup beside its call on hover or keyboard focus
     (the call still links to the note, and the note back to the call);
   - on narrow screens the contents list starts folded. */
(function () {
  "use strict";

  var popup = null;
  var owner = null;
  var hideTimer = null;

  function noteFor(link) {
    var href = link.getAttribute("href") || "";
    if (href.charAt(0) !== "#") return null;
    return document.getElementById(decodeURIComponent(href.slice(1)));
  }

  function contentOf(note) {
    var body = note.querySelector(".fn-body") || note;
    var copy = body.cloneNode(true);
    var drop = copy.querySelectorAll(".backlinks, .noteref");
    for (var i = 0; i < drop.length; i++) drop[i].parentNode.removeChild(drop[i]);
    var withIds = copy.querySelectorAll("[id]");
    for (var j = 0; j < withIds.length; j++) withIds[j].removeAttribute("id");
    if (copy.removeAttribute) copy.removeAttribute("id");
    return copy;
  }

  function hide() {
    if (popup) {
      popup.parentNode.removeChild(popup);
      popup = null;
    }
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
  }

  function show(link) {
    var note = noteFor(link);
    if (!note || note === link) return;
    clearTimeout(hideTimer);
    if (owner === link) return;
    hide();
    popup = document.createElement("div");
    popup.className = "note-popup";
    popup.id = "~note-popup";
    popup.setAttribute("role", "tooltip");
    var label = note.querySelector(".fn-label");
    if (label) {
      var l = document.createElement("span");
      l.className = "popup-label";
      l.textContent = label.textContent;
      popup.appendChild(l);
    }
    popup.appendChild(contentOf(note));
    popup.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    popup.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(popup);
    owner = link;
    link.setAttribute("aria-describedby", popup.id);
    place(link);
  }

  function place(link) {
    var r = link.getBoundingClientRect();
    var vw = document.documentElement.clientWidth;
    var w = popup.offsetWidth;
    var left = Math.max(8, Math.min(r.left + window.pageXOffset - w / 2, vw - w - 8 + window.pageXOffset));
    var top = r.bottom + window.pageYOffset + 6;
    if (r.bottom + popup.offsetHeight + 12 > window.innerHeight && r.top > popup.offsetHeight + 12) {
      top = r.top + window.pageYOffset - popup.offsetHeight - 6;
    }
    popup.style.left = left + "px";
    popup.style.top = top + "px";
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  }

  function init() {
    var calls = document.querySelectorAll("a.noteref");
    for (var i = 0; i < calls.length; i++) {
      var a = calls[i];
      a.addEventListener("mouseenter", function (e) { show(e.currentTarget); });
      a.addEventListener("focus", function (e) { show(e.currentTarget); });
      a.addEventListener("mouseleave", scheduleHide);
      a.addEventListener("blur", scheduleHide);
      a.addEventListener("click", hide);
    }
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") hide();
    });
    var toc = document.querySelector(".toc details");
    if (toc && window.matchMedia && window.matchMedia("(max-width: 67.99em)").matches) {
      toc.removeAttribute("open");
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
