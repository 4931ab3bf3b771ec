/* duikou: the one small initialiser. Charts read JSON from the server (data-chart-src) and
   draw it with ECharts; no figure is computed here, values are drawn as the server sends them. */
(function () {
  "use strict";
  var charts = [];

  function yuanAxis(value) {
    // axis labels only: show 万 for readability; tooltips show the exact figure from the server
    if (Math.abs(value) >= 1e8) return (value / 1e8) + "亿";
    if (Math.abs(value) >= 1e4) return (value / 1e4) + "万";
    return String(value);
  }

  function option(kind, data) {
    var money = data.unit === "yuan";
    var valueAxis = { type: "value", name: data.unit_label || "", axisLabel: money ? { formatter: yuanAxis } : {} };
    var tooltip = {
      trigger: "axis",
      valueFormatter: function (v) {
        return money ? Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : String(v);
      }
    };
    if (kind === "scatter") {
      return {
        tooltip: { trigger: "item", formatter: function (p) { return p.data[2]; } },
        xAxis: { type: "value", name: data.x_label, scale: true },
        yAxis: { type: "value", name: data.y_label, scale: true },
        series: [{ type: "scatter", symbolSize: 9, data: data.points }]
      };
    }
    var horizontal = kind === "hbar";
    var category = { type: "category", data: data.categories,
      axisLabel: { interval: 0, rotate: horizontal ? 0 : (data.categories.length > 12 ? 45 : 0),
                   width: horizontal ? 130 : 80, overflow: "break" } };
    return {
      tooltip: tooltip,
      legend: { top: 0 },
      grid: { left: 10, right: 30, top: 40, bottom: 10, containLabel: true },
      xAxis: horizontal ? valueAxis : category,
      yAxis: horizontal ? category : valueAxis,
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: kind === "stacked" ? "total" : undefined, data: s.data.map(Number),
                 emphasis: { focus: "series" } };
      })
    };
  }

  function draw(el) {
    if (!window.echarts || el.dataset.drawn === "1") return;
    el.dataset.drawn = "1";
    fetch(el.dataset.chartSrc, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var chart = window.echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(option(el.dataset.chart, data));
        el.dataset.ready = "1";
        charts.push(chart);
      });
  }

  function init(root) {
    (root || document).querySelectorAll("[data-chart-src]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (e) { init(e.target); });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  // close an open menu when clicking elsewhere
  document.addEventListener("click", function (e) {
    document.querySelectorAll("details.menu-group[open]").forEach(function (d) { if (!d.contains(e.target)) d.removeAttribute("open"); });
  });
})();
