/*
 * The unread-notices badge of the navigation bar. The count is fetched after the page has
 * loaded (GET /api/v1/notifications?unread=true&limit=0, the browser session authenticates
 * it), so that no page pays an extra database query for it while it renders.
 */
(function () {
  "use strict";

  function show(link, badge, unread) {
    if (!unread) return;
    badge.textContent = unread > 99 ? "99+" : String(unread);
    badge.classList.remove("d-none");
    link.setAttribute("aria-label", "Thông báo: " + unread + " chưa đọc");
  }

  function load() {
    var link = document.querySelector("[data-notification-count-url]");
    var badge = link && link.querySelector("[data-notification-badge]");
    if (!link || !badge || !window.fetch) return;
    fetch(link.getAttribute("data-notification-count-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (page) {
        if (page && typeof page.unread === "number") show(link, badge, page.unread);
      })
      .catch(function () {
        /* No badge when offline: the page itself still works. */
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", load);
  } else {
    load();
  }
})();
