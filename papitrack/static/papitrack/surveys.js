/*
 * Survey charts: estimates with 95% confidence-interval bars (ECharts).
 *   data-survey-chart="dimensions" | "districts"  and  data-chart-data="<json_script id>".
 * Numbers arrive as decimal strings; the tables on the page carry the same figures.
 */
(function () {
  "use strict";

  var BLUE = "#0d6efd";
  var PINK = "#d63384";
  var GREEN = "#198754";

  function num(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function format(value) {
    return value === null || value === undefined || isNaN(value)
      ? "Không đủ số liệu"
      : Number(value).toLocaleString("vi-VN", { maximumFractionDigits: 2 });
  }

  // A custom series drawing one whisker (low to high) per category.
  function errorBars(data, horizontal) {
    var points = data.low.map(function (low, index) {
      return [index, num(low), num(data.high[index])];
    });
    return {
      type: "custom",
      name: "Khoảng tin cậy 95%",
      itemStyle: { color: "#212529" },
      data: points,
      z: 10,
      encode: horizontal ? { y: 0, x: [1, 2] } : { x: 0, y: [1, 2] },
      renderItem: function (params, api) {
        if (api.value(1) === null || isNaN(api.value(1))) {
          return null;
        }
        var category = api.value(0);
        var start = horizontal ? api.coord([api.value(1), category]) : api.coord([category, api.value(1)]);
        var end = horizontal ? api.coord([api.value(2), category]) : api.coord([category, api.value(2)]);
        var half = api.size(horizontal ? [0, 1] : [1, 0])[horizontal ? 1 : 0] * 0.15;
        var style = { stroke: "#212529", lineWidth: 1.5 };
        var capStart = horizontal
          ? { x1: start[0], y1: start[1] - half, x2: start[0], y2: start[1] + half }
          : { x1: start[0] - half, y1: start[1], x2: start[0] + half, y2: start[1] };
        var capEnd = horizontal
          ? { x1: end[0], y1: end[1] - half, x2: end[0], y2: end[1] + half }
          : { x1: end[0] - half, y1: end[1], x2: end[0] + half, y2: end[1] };
        return {
          type: "group",
          children: [
            { type: "line", shape: { x1: start[0], y1: start[1], x2: end[0], y2: end[1] }, style: style },
            { type: "line", shape: capStart, style: style },
            { type: "line", shape: capEnd, style: style },
          ],
        };
      },
    };
  }

  function tooltip(data) {
    return {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: function (items) {
        var index = items[0].dataIndex;
        var lines = ["<strong>" + data.categories[index] + "</strong>"];
        lines.push("Ước lượng: " + format(num(data.estimate[index])));
        lines.push("Khoảng tin cậy 95%: " + format(num(data.low[index])) + " – " + format(num(data.high[index])));
        if (data.target && data.target[index] !== null) {
          lines.push(data.target_label + ": " + format(num(data.target[index])));
        }
        if (data.published && data.published[index] !== null) {
          lines.push(data.published_label + ": " + format(num(data.published[index])));
        }
        return lines.join("<br>");
      },
    };
  }

  function dimensionOption(data) {
    var series = [
      { type: "bar", name: "Ước lượng", data: data.estimate.map(num), itemStyle: { color: BLUE }, barMaxWidth: 42 },
      errorBars(data, false),
    ];
    if (data.target_label) {
      series.push({ type: "scatter", name: data.target_label, data: data.target.map(num), symbol: "diamond", symbolSize: 12, itemStyle: { color: PINK }, z: 11 });
    }
    if (data.published_label) {
      series.push({ type: "scatter", name: data.published_label, data: data.published.map(num), symbol: "circle", symbolSize: 10, itemStyle: { color: GREEN }, z: 11 });
    }
    return {
      legend: { bottom: 0 },
      tooltip: tooltip(data),
      grid: { left: 48, right: 16, top: 16, bottom: 90 },
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", min: num(data.min), max: num(data.max), name: "điểm" },
      series: series,
    };
  }

  function districtOption(data) {
    var series = [
      { type: "bar", name: "Ước lượng", data: data.estimate.map(num), itemStyle: { color: BLUE }, barMaxWidth: 18 },
      errorBars(data, true),
    ];
    if (data.province !== null) {
      series[0].markLine = {
        symbol: "none",
        label: { position: "end", formatter: data.province_label + ": " + format(num(data.province)) },
        lineStyle: { color: PINK, type: "dashed" },
        data: [{ xAxis: num(data.province) }],
      };
    }
    return {
      tooltip: tooltip(data),
      grid: { left: 110, right: 40, top: 36, bottom: 30 },
      yAxis: { type: "category", data: data.categories, inverse: true, axisLabel: { interval: 0 } },
      xAxis: { type: "value", min: num(data.min), max: num(data.max), name: "điểm" },
      series: series,
    };
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chartData);
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    // The height grows with the number of districts; set here, since the Content-Security-
    // Policy forbids style attributes in the page.
    if (element.dataset.chartHeight) {
      element.style.height = element.dataset.chartHeight + "px";
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(element.dataset.surveyChart === "districts" ? districtOption(data) : dimensionOption(data));
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-survey-chart]").forEach(draw);
  });
})();
