/* Page behaviour for ui.py: quick exit, citation actions, focus. No network, no storage. */
(function () {
  "use strict";
  var config = window.CTB_UI || {};
  var exitUrl = config.exitUrl || "https://www.google.com/";
  var lastEscape = 0;

  // Quick exit: blank the page at once, then replace this history entry with a neutral site,
  // so Back does not come here. (The browser's history list may still show the visit.)
  function quickExit(event) {
    if (event) {
      event.preventDefault();
      event.stopPropagation();
    }
    try {
      document.documentElement.style.visibility = "hidden";
      document.title = "";
      document.body.innerHTML = "";
    } catch (e) {
      /* leave anyway */
    }
    window.location.replace(exitUrl);
  }

  function announce(message) {
    var live = document.getElementById("ui-live");
    if (live) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = message; }, 30);
    }
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function copyCitation(button) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    var done = function (message) {
      button.textContent = message;
      announce(message);
      window.setTimeout(function () { button.textContent = original; }, 2000);
    };
    copyText(button.value || "").then(
      function () { done(config.copied || "Citation copied"); },
      function () { done(config.copyFailed || "Could not copy"); }
    );
  }

  // "View in source": hand the request to the hidden Gradio textbox and press its button.
  var viewOpener = null;
  function viewSource(button) {
    var box = document.querySelector("#source-request textarea, #source-request input");
    var go = document.getElementById("source-go");
    if (!box || !go) { return; }
    viewOpener = button;
    var where = {};
    try { where = JSON.parse(button.value || "{}"); } catch (e) { return; }
    where.at = Date.now();
    box.value = JSON.stringify(where);
    box.dispatchEvent(new Event("input", { bubbles: true }));
    window.setTimeout(function () { go.click(); }, 0);
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    if (target.closest("[data-quick-exit]")) { quickExit(event); return; }
    var copy = target.closest(".cite-copy");
    if (copy) { event.preventDefault(); copyCitation(copy); return; }
    var view = target.closest(".cite-view");
    if (view) { event.preventDefault(); viewSource(view); }
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { quickExit(event); return; }
    lastEscape = now;
  }, true);

  // The chat's scrolling box (Gradio's markup may change: find it by behaviour, not by class).
  function scroller(element) {
    var node = element;
    while (node && node !== document.body) {
      var style = window.getComputedStyle(node);
      if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) {
        return node;
      }
      node = node.parentElement;
    }
    return null;
  }

  function lastReply() {
    var replies = document.querySelectorAll("#chat .reply");
    return replies.length ? replies[replies.length - 1] : null;
  }

  window.CTBUI = {
    quickExit: quickExit,
    // A question was sent: show it (the end of the conversation).
    asked: function () {
      window.setTimeout(function () {
        var messages = document.querySelectorAll("#chat .message-row, #chat .message");
        var last = messages.length ? messages[messages.length - 1] : null;
        var box = last ? scroller(last) : null;
        if (box) { box.scrollTop = box.scrollHeight; }
      }, 30);
    },
    // An answer arrived: show its beginning (crisis help leads), and say so to screen readers.
    answered: function () {
      var tries = 0;
      var show = function () {
        var reply = lastReply();
        if (!reply && tries++ < 40) { window.setTimeout(show, 25); return; }
        if (!reply) { return; }
        var box = scroller(reply);
        if (box) {
          var top = reply.getBoundingClientRect().top - box.getBoundingClientRect().top;
          box.scrollTop += top - 12;
        }
        var status = reply.querySelector(".reply-status");
        announce(status ? status.textContent : "");
      };
      window.setTimeout(show, 30);
    },
    sourceShown: function () {
      var tries = 0;
      var show = function () {
        var mark = document.getElementById("source-mark");
        var title = document.getElementById("source-title");
        if (!title && tries++ < 40) { window.setTimeout(show, 25); return; }
        if (title) { title.focus({ preventScroll: true }); }
        var panel = document.getElementById("source-panel");
        if (panel) { panel.scrollIntoView({ block: "start" }); }
        if (mark) {
          var box = mark.closest(".source-text");
          if (box) { box.scrollTop = mark.offsetTop - box.offsetTop - box.clientHeight / 3; }
        }
      };
      show();
    },
    sourceClosed: function () {
      if (viewOpener && document.body.contains(viewOpener)) { viewOpener.focus(); }
      viewOpener = null;
    },
    cleared: function () {
      announce(config.cleared || "Conversation cleared");
      var input = document.querySelector("#question textarea");
      if (input) { input.focus(); }
    }
  };
})();
