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
    return {
      color: [PALETTE[1]],
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) {
          return format(value, 2);
        },
      },
      legend: { bottom: 0 },
      grid: { left: 56, right: 24, top: 32, bottom: 56 },
      xAxis: { type: "category", data: data.years.map(String), boundaryGap: false },
      yAxis: {
        type: "value",
        min: Math.floor((low - pad) * 10) / 10,
        max: Math.ceil((high + pad) * 10) / 10,
        axisLabel: {
          formatter: function (value) {
            return format(value, 1);
          },
        },
      },
      series: data.series.map(function (series, position) {
        return {
          name: series.name,
          type: "line",
          connectNulls: false,
          symbolSize: 8,
          data: series.values.map(toNumber),
          label: {
            show: true,
            formatter: function (params) {
              return format(params.value, 2);
            },
          },
          markLine:
            position === 0 && data.lines.length
              ? {
                  symbol: "none",
                  silent: true,
                  data: data.lines.map(function (line, index) {
                    return {
                      name: line.name,
                      yAxis: Number(line.value),
                      lineStyle: { type: "dashed", color: index === 0 ? PALETTE[2] : PALETTE[0] },
                      label: {
                        position: index === 0 ? "insideEndTop" : "insideStartBottom",
                        formatter: line.name + ": " + format(Number(line.value), 2),
                      },
                    };
                  }),
                }
              : undefined,
        };
      }),
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
