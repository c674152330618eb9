/*
 * Sort tables marked data-sortable by clicking a column header. Headers declare
 * data-sort-type="number" or "text"; cells may carry data-sort-value (a number written with
 * a decimal point, or the text to compare). Text is compared the Vietnamese way.
 */
(function () {
  "use strict";

  var collator = new Intl.Collator("vi", { sensitivity: "base", numeric: true });

  function cellValue(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    return cell.dataset.sortValue !== undefined ? cell.dataset.sortValue : cell.textContent.trim();
  }

  function sortBy(table, header, column) {
    var type = header.dataset.sortType || "text";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (first, second) {
      var a = cellValue(first, column);
      var b = cellValue(second, column);
      var order = type === "number" ? Number(a) - Number(b) : collator.compare(a, b);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    table.querySelectorAll("th[data-sort-type]").forEach(function (other) {
      other.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function prepare(table) {
    table.querySelectorAll("thead th[data-sort-type]").forEach(function (header) {
      var column = header.cellIndex;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.title = "Sắp xếp theo cột này";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(table, header, column);
      });
    });
  }

  function prepareAll() {
    document.querySelectorAll("table[data-sortable]").forEach(prepare);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepareAll);
  } else {
    prepareAll();
  }
})();
