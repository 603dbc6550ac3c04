// Copydesk desk: small improvements on pages that work without this script.
// - Tells the server the reader's time zone (cookie copydesk_zone, and forms' hidden `zone` fields).
// - Follows /desk/feed (Server-Sent Events: position, article id, version, type; never text):
//   on an article page, shows #changed-banner when the article moves past the version shown;
//   on the desk, refreshes the lists in place.
(function () {
  "use strict";

  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  if (zone) {
    document.cookie = "copydesk_zone=" + encodeURIComponent(zone) + "; path=/desk; SameSite=Lax; max-age=31536000";
  }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    if (zone) {
      var fields = document.querySelectorAll("input[type=hidden][name=zone]");
      for (var i = 0; i < fields.length; i++) { fields[i].value = zone; }
    }
    if (!window.EventSource || !document.getElementById("sign-out")) { return; }

    var article = document.querySelector("article[data-article-id]");
    var banner = document.getElementById("changed-banner");
    var queue = document.getElementById("your-turn");
    if (!(article && banner) && !queue) { return; }

    var refreshTimer = null;
    function refreshQueue() {
      if (refreshTimer) { return; }
      refreshTimer = setTimeout(function () {
        refreshTimer = null;
        fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            if (!html) { return; }
            var fresh = new DOMParser().parseFromString(html, "text/html");
            ["your-turn", "state-counts", "results"].forEach(function (id) {
              var now = document.getElementById(id);
              var next = fresh.getElementById(id);
              if (now && next) { now.replaceWith(document.importNode(next, true)); }
            });
          })
          .catch(function () { /* the page stays as it is; the next event tries again */ });
      }, 500);
    }

    var feed = new EventSource("/desk/feed");
    feed.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (article && banner) {
        var shown = parseInt(article.getAttribute("data-version"), 10);
        if (event.article === article.getAttribute("data-article-id") && event.version > shown) {
          banner.hidden = false;
        }
      }
      if (queue) { refreshQueue(); }
    };
  });
})();
