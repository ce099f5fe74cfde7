// Charts of a fleetbench run, drawn with uPlot. The live page starts from the history that
// history.js sets (window.FLEETBENCH_HISTORY), so it shows the run so far as soon as it loads, then
// follows /events (server-sent events, one point a second); report.html sets
// window.FLEETBENCH_POINTS to the whole run instead.
// Every chart element gets data-drawn="true" and data-points="<values drawn>" once uPlot drew it.
(function () {
  'use strict';
  var CHARTS = [
    {id: 'rate', title: 'Events per second: target, sent, acknowledged', unit: 'events/s'},
    {id: 'latency', title: 'Put latency from the intended send time', unit: 'ms'},
    {id: 'lag', title: 'Consumer lag: age of the newest record read, largest over the shards', unit: 'ms'},
    {id: 'rows', title: 'Rows committed per second, by table', unit: 'rows/s'},
    {id: 'freshness', title: 'End-to-end freshness, production to commit', unit: 'ms'},
    {id: 'http', title: 'HTTP requests per second by outcome: status code, timeout, connection lost or failed', unit: 'requests/s', optional: true},
    {id: 'failures', title: 'Failed events by reason, ambiguous events (timed out or connection lost), dead letters, per second', unit: 'per second'},
    {id: 'files', title: 'Data files, by table', unit: 'files'},
    {id: 'size', title: 'Mean data-file size, by table', unit: 'MiB'},
    {id: 'small', title: 'Share of files below a quarter of the target size, by table', unit: 'share'}
  ];
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#17becf'];
  var MAX_POINTS = 3600;
  var points = [];
  var plots = {};
  var pending = false;

  function section(c) {
    var el = document.getElementById('chart-' + c.id);
    if (!el) {
      el = document.createElement('section');
      el.id = 'chart-' + c.id;
      el.className = 'chart';
      el.setAttribute('data-drawn', 'false');
      el.setAttribute('data-points', '0');
      var h = document.createElement('h2');
      h.textContent = c.title;
      var plot = document.createElement('div');
      plot.className = 'plot';
      plot.textContent = 'no data yet';
      el.appendChild(h);
      el.appendChild(plot);
      // In the charts' order, also for an optional chart that appears once its run has a value.
      var next = null;
      for (var i = CHARTS.indexOf(c) + 1; i < CHARTS.length && !next; i++) {
        next = document.getElementById('chart-' + CHARTS[i].id);
      }
      document.getElementById('charts').insertBefore(el, next);
    }
    return el;
  }

  function keysOf(id) {
    var seen = {};
    points.forEach(function (p) {
      Object.keys(p.values).forEach(function (k) {
        if (k.indexOf(id + '.') === 0) {
          seen[k] = true;
        }
      });
    });
    return Object.keys(seen).sort();
  }

  function valuesDrawn(u) {
    var n = 0;
    for (var s = 1; s < u.data.length; s++) {
      for (var i = 0; i < u.data[s].length; i++) {
        if (u.data[s][i] != null) {
          n++;
        }
      }
    }
    return n;
  }

  function drawChart(c) {
    var keys = keysOf(c.id);
    // A chart of what only some runs have (HTTP requests) appears once such a run has a value.
    if (keys.length === 0 && c.optional) {
      return;
    }
    var el = section(c);
    if (keys.length === 0) {
      return;
    }
    var data = [points.map(function (p) { return p.t / 1000; })];
    keys.forEach(function (k) {
      data.push(points.map(function (p) { return k in p.values ? p.values[k] : null; }));
    });
    var current = plots[c.id];
    if (current && current.keys.join('\n') === keys.join('\n')) {
      current.plot.setData(data);
      return;
    }
    if (current) {
      current.plot.destroy();
    }
    var target = el.querySelector('.plot');
    target.textContent = '';
    var opts = {
      width: Math.max(300, target.clientWidth || 640),
      height: 220,
      series: [{}].concat(keys.map(function (k, i) {
        return {label: k.substring(c.id.length + 1), stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true};
      })),
      axes: [{}, {label: c.unit, size: 70}],
      hooks: {
        draw: [function (u) {
          el.setAttribute('data-drawn', 'true');
          el.setAttribute('data-points', String(valuesDrawn(u)));
        }]
      }
    };
    plots[c.id] = {keys: keys, plot: new uPlot(opts, data, target)};
  }

  function drawAll() {
    pending = false;
    CHARTS.forEach(drawChart);
  }

  function schedule() {
    if (!pending) {
      pending = true;
      setTimeout(drawAll, 100);
    }
  }

  function status(text) {
    var s = document.getElementById('status');
    if (s) {
      s.textContent = text;
    }
  }

  function follow() {
    var source = new EventSource('events');
    source.onopen = function () { status('live'); };
    source.onerror = function () { status('disconnected: the run has ended or the server stopped'); };
    source.onmessage = function (e) {
      var p = JSON.parse(e.data);
      if (points.length > 0 && p.t <= points[points.length - 1].t) {
        return;
      }
      points.push(p);
      if (points.length > MAX_POINTS) {
        points.shift();
      }
      schedule();
    };
  }

  function start() {
    CHARTS.forEach(function (c) {
      if (!c.optional) {
        section(c);
      }
    });
    if (window.FLEETBENCH_POINTS) {
      points = window.FLEETBENCH_POINTS;
      drawAll();
    } else {
      points = (window.FLEETBENCH_HISTORY || []).slice(-MAX_POINTS);
      drawAll();
      follow();
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
