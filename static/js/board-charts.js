/* Ranking bars for each contest on the board, drawn with the vendored ECharts. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var colours = { green: "#2fb344", yellow: "#f59f00", red: "#d63939" };
  document.querySelectorAll(".app-chart[data-chart]").forEach(function (box) {
    var data = JSON.parse(box.dataset.chart);
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
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
