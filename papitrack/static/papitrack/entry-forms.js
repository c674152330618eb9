/*
 * Entry forms of reports and units' plans (forms marked data-entry-form):
 * - a ratio block (data-ratio) shows its percentage while numerator and denominator are typed;
 * - a unit plan row (data-province-target) warns while its target is weaker than the province's;
 * - leaving the page with unsaved input asks first (a commune officer on a phone loses nothing).
 * Numbers are read as the server reads them (papitrack.lib.numbers.parse_decimal): "12,5",
 * "12.5", and "1.250,5" with the point as thousands separator.
 */
(function () {
  "use strict";

  function parseNumber(text) {
    var cleaned = (text || "").replace(/[\s\u00a0]/g, "");
    if (cleaned === "") return null;
    // "1.250" is refused by the server as ambiguous (1250 or 1,25?); do not guess here either.
    if (/^[-+]?\d{1,3}(\.\d{3})+$/.test(cleaned)) return NaN;
    if (cleaned.indexOf(",") !== -1 && cleaned.indexOf(".") !== -1) {
      cleaned = cleaned.replace(/\./g, "").replace(",", ".");
    } else {
      cleaned = cleaned.replace(",", ".");
    }
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return NaN;
    return Number(cleaned);
  }

  function formatPercent(value) {
    return value.toFixed(1).replace(".", ",") + "%";
  }

  function updateRatio(block) {
    var numerator = block.querySelector('[data-ratio-part="numerator"]');
    var denominator = block.querySelector('[data-ratio-part="denominator"]');
    var output = block.querySelector("[data-ratio-output]");
    if (!numerator || !denominator || !output) return;
    var top = parseNumber(numerator.value);
    var bottom = parseNumber(denominator.value);
    if (top === null || bottom === null) {
      output.textContent = "—";
    } else if (isNaN(top) || isNaN(bottom)) {
      output.textContent = "chưa đọc được số";
    } else if (bottom === 0) {
      output.textContent = "không có số liệu (mẫu số bằng 0)";
    } else {
      output.textContent = formatPercent((top * 100) / bottom);
      if (top > bottom) output.textContent += " — tử số lớn hơn mẫu số";
    }
  }

  function weaker(value, comparator, target) {
    if (comparator === ">=" || comparator === ">" || comparator === "=") return value < target;
    return value > target;
  }

  function updateTarget(row) {
    var input = row.querySelector("[data-unit-target]");
    var warning = row.querySelector("[data-weaker-warning]");
    if (!input || !warning) return;
    var value = parseNumber(input.value);
    var target = Number(row.dataset.provinceTarget);
    var comparator = row.dataset.provinceComparator || ">=";
    var show = value !== null && !isNaN(value) && weaker(value, comparator, target);
    warning.hidden = !show;
  }

  function prepare(form) {
    var dirty = false;
    form.querySelectorAll("[data-ratio]").forEach(function (block) {
      block.addEventListener("input", function () {
        updateRatio(block);
      });
      updateRatio(block);
    });
    form.querySelectorAll("[data-province-target]").forEach(function (row) {
      row.addEventListener("input", function () {
        updateTarget(row);
      });
      updateTarget(row);
    });
    form.addEventListener("input", function () {
      dirty = true;
    });
    form.addEventListener("change", function () {
      dirty = true;
    });
    form.addEventListener("submit", function () {
      dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-entry-form]").forEach(prepare);
  });
})();
