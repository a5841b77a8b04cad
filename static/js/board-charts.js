/* Ranking bars for each contest on the board, drawn with the vendored ECharts. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var colours = { green: "#2fb344", yellow: "#f59f00", red: "#d63939" };
  /* Tooltips drawn inside the chart: ECharts' HTML tooltips carry style="" attributes, which
     the Content-Security-Policy refuses. */
  var TOOLTIP_MODE = "richText";
  /* A bar chart is as tall as its rows (through the CSSOM: the CSP refuses style attributes). */
  function fitRows(box, emPerRow) {
    var rows = parseInt(box.dataset.rows || "0", 10) || 0;
    box.style.height = "calc(" + (rows + 1) + " * " + emPerRow + "em)";
  }
  document.querySelectorAll(".app-chart[data-chart]").forEach(function (box) {
    var data = JSON.parse(box.dataset.chart);
    fitRows(box, 1.7);
    var chart = echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { fontSize: 11 } },
      yAxis: { type: "category", inverse: true, data: data.units, axisLabel: { fontSize: 12, interval: 0 } },
      series: [{
        type: "bar", barMaxWidth: 16,
        data: data.scores.map(function (v, i) { return { value: v, itemStyle: { color: colours[data.lights[i]] } }; }),
        label: { show: true, position: "right", fontSize: 11 }
      }],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: TOOLTIP_MODE }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });

  /* Trend lines: scores by month (a township's own contests). */
  document.querySelectorAll(".app-trend[data-source]").forEach(function (box) {
    var data = JSON.parse(document.getElementById(box.dataset.source).textContent);
    var chart = echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { type: "scroll", top: 0, textStyle: { fontSize: 11 } },
      xAxis: { type: "category", data: data.months, axisLabel: { fontSize: 11 } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { fontSize: 11 } },
      tooltip: { trigger: "axis", renderMode: TOOLTIP_MODE },
      series: data.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: false, symbolSize: 6 }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
  /* Lights per contest (the leader's home): green, yellow and red units of each contest, stacked. */
  document.querySelectorAll(".app-lights[data-chart]").forEach(function (box) {
    var data = JSON.parse(box.dataset.chart);
    fitRows(box, 2.4);
    var chart = echarts.init(box, null, { renderer: "svg" });
    var names = { green: "绿灯", yellow: "黄灯", red: "红灯" };
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 28, bottom: 4, containLabel: true },
      legend: { top: 0, data: ["绿灯", "黄灯", "红灯"], textStyle: { fontSize: 11 } },
      xAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: 11 } },
      yAxis: {
        type: "category", inverse: true, data: data.tasks,
        axisLabel: { fontSize: 12, interval: 0, width: 132, overflow: "truncate" }
      },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: TOOLTIP_MODE },
      series: ["green", "yellow", "red"].map(function (light) {
        return {
          name: names[light], type: "bar", stack: "lights", barMaxWidth: 18,
          data: data[light], itemStyle: { color: colours[light] },
          label: { show: true, fontSize: 11, color: "#fff", formatter: function (p) { return p.value ? p.value : ""; } }
        };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
  /* Completion against time: a push's units, done versus the share of time gone. */
  document.querySelectorAll(".app-progress[data-chart]").forEach(function (box) {
    var data = JSON.parse(box.dataset.chart);
    fitRows(box, 2.2);
    var chart = echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      legend: { top: 0, data: ["完成进度", "时间进度"], textStyle: { fontSize: 11 } },
      xAxis: { type: "value", max: 100, axisLabel: { fontSize: 11, formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: data.units, axisLabel: { fontSize: 12, interval: 0 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: TOOLTIP_MODE },
      series: [
        { name: "完成进度", type: "bar", barMaxWidth: 12, data: data.done, itemStyle: { color: "#206bc4" } },
        { name: "时间进度", type: "bar", barMaxWidth: 12, data: data.expected, itemStyle: { color: "#adb5bd" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
