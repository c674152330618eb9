/*
 * Draw the ECharts charts of a page. Each chart is an element with
 *   data-chart="radar" | "line"  and  data-chart-data="<id of a json_script element>".
 * Numbers arrive as decimal strings (see papitrack/web/charts.py); tables on the page carry
 * the same figures for readers who cannot see the drawing.
 */
(function () {
  "use strict";

  var PALETTE = ["#6c757d", "#0d6efd", "#d63384", "#198754"];

  function toNumber(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function format(value, digits) {
    if (value === null || value === undefined || value === "-" || isNaN(value)) {
      return "Không có số liệu";
    }
    return Number(value).toLocaleString("vi-VN", {
      minimumFractionDigits: 0,
      maximumFractionDigits: digits,
    });
  }

  // Break a long axis name into lines of about `width` characters, at spaces.
  function wrap(text, width) {
    var lines = [""];
    text.split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (lines[last] && (lines[last] + " " + word).length > width) {
        lines.push(word);
      } else {
        lines[last] = lines[last] ? lines[last] + " " + word : word;
      }
    });
    return lines.join("\n");
  }

  function radarOption(data, narrow) {
    var indicators = data.indicators.map(function (indicator) {
      return { name: indicator.name, min: toNumber(indicator.min), max: toNumber(indicator.max) };
    });
    return {
      color: [PALETTE[0], PALETTE[1], PALETTE[2]],
      legend: { bottom: 0 },
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          var lines = [params.marker + " <strong>" + params.name + "</strong>"];
          params.value.forEach(function (value, position) {
            lines.push(indicators[position].name + ": " + format(value, 2));
          });
          return lines.join("<br>");
        },
      },
      radar: {
        indicator: indicators,
        radius: narrow ? "50%" : "68%",
        center: ["50%", "48%"],
        axisName: {
          color: "#212529",
          fontSize: narrow ? 10 : 12,
          lineHeight: narrow ? 13 : 16,
          formatter: function (name) {
            return narrow ? wrap(name, 12) : name;
          },
        },
      },
      series: [
        {
          type: "radar",
          symbolSize: 5,
          data: data.series.map(function (series) {
            return {
              name: series.name,
              value: series.values.map(function (value) {
                return value === null ? "-" : Number(value);
              }),
              lineStyle: { width: 2, type: series.dashed ? "dashed" : "solid" },
              areaStyle: series.dashed ? undefined : { opacity: 0.08 },
            };
          }),
        },
      ],
    };
  }

  // A round step for about five intervals over `span` (1, 2, 2.5 or 5 times a power of ten),
  // so that the axis starts and ends on a labelled tick and no two labels overlap.
  function niceStep(span) {
    var raw = span / 5;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var fraction = raw / power;
    var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
    return nice * power;
  }

  function lineOption(data) {
    var values = [];
    data.series.forEach(function (series) {
      series.values.forEach(function (value) {
        if (value !== null) values.push(Number(value));
      });
    });
    data.lines.forEach(function (line) {
      values.push(Number(line.value));
    });
    var low = values.length ? Math.min.apply(null, values) : 0;
    var high = values.length ? Math.max.apply(null, values) : 1;
    var pad = Math.max((high - low) * 0.15, 0.1);
    var step = niceStep(high - low + 2 * pad);
    // Target and baseline are drawn as dashed series named with their value, so that they
    // are read in the legend rather than as labels colliding with the points' labels.
    var references = data.lines.map(function (line, index) {
      var color = index === 0 ? PALETTE[1] : PALETTE[0];
      return {
        name: line.name + ": " + format(Number(line.value), 2),
        type: "line",
        data: data.years.map(function () {
          return Number(line.value);
        }),
        symbol: "none",
        silent: true,
        lineStyle: { type: "dashed", width: 1.5, color: color },
        itemStyle: { color: color },
        emphasis: { disabled: true },
      };
    });
    var referenceNames = references.map(function (series) {
      return series.name;
    });
    return {
      // The radar's colours: scores pink, target blue (dashed), baseline grey.
      color: [PALETTE[2]],
      tooltip: {
        trigger: "axis",
        formatter: function (params) {
          var lines = [params.length ? params[0].axisValueLabel : ""];
          params.forEach(function (item) {
            var reference = referenceNames.indexOf(item.seriesName) >= 0;
            lines.push(
              item.marker + item.seriesName + (reference ? "" : ": " + format(item.value, 2))
            );
          });
          return lines.join("<br>");
        },
      },
      legend: { bottom: 0 },
      grid: { left: 56, right: 24, top: 32, bottom: 56 },
      // Points inside the axis ends, so the first point's label keeps clear of the y labels.
      xAxis: { type: "category", data: data.years.map(String), boundaryGap: true },
      yAxis: {
        type: "value",
        min: Number((Math.floor((low - pad) / step) * step).toFixed(6)),
        max: Number((Math.ceil((high + pad) / step) * step).toFixed(6)),
        interval: step,
        axisLabel: {
          formatter: function (value) {
            return format(value, 2);
          },
        },
      },
      series: data.series
        .map(function (series) {
          return {
            name: series.name,
            type: "line",
            connectNulls: false,
            symbolSize: 8,
            z: 3,
            data: series.values.map(toNumber),
            label: {
              show: true,
              formatter: function (params) {
                return format(params.value, 2);
              },
            },
          };
        })
        .concat(references),
    };
  }

  var BUILDERS = { radar: radarOption, line: lineOption };

  function draw(element) {
    var build = BUILDERS[element.dataset.chart];
    var source = document.getElementById(element.dataset.chartData);
    if (!window.echarts || !build || !source) return;
    var chart = window.echarts.init(element, null, { locale: "VI" });
    // Phones get a smaller drawing so that the axis names fit beside it.
    var narrow = element.clientWidth < 576;
    chart.setOption(build(JSON.parse(source.textContent), narrow));
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
