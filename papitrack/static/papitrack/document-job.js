/*
 * The page of a document being drafted ([data-document-job]): polls the job's status URL
 * every second and a half, moves the progress bar, and shows the download links (or the
 * error) when the job is finished.
 */
(function () {
  "use strict";

  function update(box, state) {
    var bar = box.querySelector("[data-job-bar]");
    var progressbar = box.querySelector("[data-job-progressbar]");
    bar.style.width = state.progress + "%";
    bar.textContent = state.progress + "%";
    progressbar.setAttribute("aria-valuenow", String(state.progress));
    box.querySelector("[data-job-step]").textContent = state.step || state.status_label;
    if (!state.finished) return false;
    bar.classList.remove("progress-bar-striped", "progress-bar-animated");
    if (state.status === "failed") {
      bar.classList.add("bg-danger");
      var error = box.querySelector("[data-job-error]");
      error.textContent = state.error;
      error.classList.remove("d-none");
      return true;
    }
    if (state.error) {
      var warning = box.querySelector("[data-job-warning]");
      warning.textContent = state.error;
      warning.classList.remove("d-none");
    }
    [["docx_url", "[data-job-docx]"], ["pdf_url", "[data-job-pdf]"]].forEach(function (pair) {
      var link = box.querySelector(pair[1]);
      if (state[pair[0]]) {
        link.href = state[pair[0]];
        link.classList.remove("d-none");
      }
    });
    return true;
  }

  function poll(box) {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (!update(box, state)) window.setTimeout(function () { poll(box); }, 1500);
      })
      .catch(function () { window.setTimeout(function () { poll(box); }, 4000); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-document-job]").forEach(function (box) {
      var bar = box.querySelector("[data-job-bar]");
      // Widths are set from script: the content security policy refuses inline styles.
      bar.style.width = box.querySelector("[data-job-progressbar]").getAttribute("aria-valuenow") + "%";
      if (bar.textContent.trim() !== "100%") poll(box);
    });
  });
})();
