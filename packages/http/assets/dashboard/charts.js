// uPlot's minified build is a classic script (loaded before this module) that sets `uPlot`.
const { uPlot } = globalThis;

const PALETTE = [
  '#58a6ff',
  '#3fb950',
  '#d29922',
  '#f85149',
  '#bc8cff',
  '#39c5cf',
  '#ff7b72',
  '#a5d6ff',
  '#8b98a5',
];
const AXIS = { stroke: '#8b98a5', grid: { stroke: '#2a3541', width: 1 }, ticks: { stroke: '#2a3541' } };

const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 100_000];

function sizeOf(element) {
  const width = Math.max(200, Math.floor(element.clientWidth));
  return { width, height: width < 420 ? 160 : 200 };
}

/**
 * A uPlot time-series chart whose series may come and go (error kinds, cost groups): it is
 * rebuilt when the set of series changes, and only given new data otherwise. `data()` is what it
 * draws (x, then one array per series), for the page's tests.
 */
export function timeChart(element, { fill = false, decimals = 0, counts = false } = {}) {
  let plot;
  let labels = [];
  const empty = document.createElement('p');
  empty.className = 'hint';
  const resize = new ResizeObserver(() => plot?.setSize(sizeOf(element)));
  resize.observe(element);
  const options = (names) => ({
    ...sizeOf(element),
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    axes: [
      { ...AXIS },
      {
        ...AXIS,
        size: 56,
        // Counts get whole-number ticks only.
        ...(counts ? { incrs: COUNT_STEPS } : {}),
        values: (_, ticks) => ticks.map((v) => v.toFixed(decimals)),
      },
    ],
    series: [
      {},
      ...names.map((label, index) => {
        const color = PALETTE[index % PALETTE.length];
        return {
          label,
          stroke: color,
          width: 2,
          spanGaps: true,
          points: { size: 4 },
          ...(fill ? { fill: `${color}33` } : {}),
          value: (_, v) => (v === null || v === undefined ? '–' : v.toFixed(decimals)),
        };
      }),
    ],
  });
  return {
    /** Draws `t` (unix seconds) against `series`: `[{ label, values }]`. */
    update(t, series, emptyText = '') {
      const names = series.map((each) => each.label);
      const data = [t, ...series.map((each) => each.values)];
      if (!plot || names.join('\u0000') !== labels.join('\u0000')) {
        plot?.destroy();
        labels = names;
        plot = new uPlot(options(names), data, element);
      } else plot.setData(data);
      empty.textContent = emptyText;
      if (emptyText) element.append(empty);
      else empty.remove();
    },
    data: () => plot?.data ?? [],
    labels: () => labels,
  };
}
