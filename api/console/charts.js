// Charts with the vendored Apache ECharts, loaded on first use (the sign-in
// page never downloads it). Values are decimal strings from the API; ECharts
// only draws them, nothing is computed from the plotted numbers.
import { h } from './dom.js';
import { lang, t } from './i18n.js';

let loading;

function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  loading ||= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/console/vendor/echarts/echarts.common.min.js';
    s.onload = () => resolve(window.echarts);
    s.onerror = () => reject(new Error('echarts did not load'));
    document.head.append(s);
  });
  return loading;
}

// chart returns a container that draws option(echarts) once the library is
// there; the container is labelled for screen readers and marked data-ready
// when drawn (the browser tests wait for it).
export function chart(labelKey, option) {
  const el = h('div', { class: 'chart', role: 'img', 'aria-label': t(labelKey) });
  loadECharts().then((echarts) => {
    const c = echarts.init(el, null, { locale: lang() === 'zh' ? 'ZH' : 'EN', renderer: 'canvas' });
    c.setOption({ animation: false, aria: { enabled: true }, ...option });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    el.dataset.ready = 'true';
  }).catch(() => { el.textContent = t('err.chart'); });
  return el;
}

// ratePaths: one step line per named schedule, the rate of each period.
export function ratePaths(labelKey, series) {
  const periods = series.length ? series[0].lines.map((l) => String(l.period)) : [];
  return chart(labelKey, {
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    legend: { top: 0 },
    grid: { left: 56, right: 16, top: 40, bottom: 40 },
    xAxis: { type: 'category', name: t('chart.period'), nameLocation: 'middle', nameGap: 26, data: periods },
    yAxis: { type: 'value', name: t('chart.rate'), scale: true, axisLabel: { formatter: '{value}%' } },
    series: series.map((s) => ({ name: s.name, type: 'line', step: 'start', data: s.lines.map((l) => l.rate) })),
  });
}

// bars: one bar per label (values as decimal strings).
export function bars(labelKey, labels, values, valueName) {
  return chart(labelKey, {
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    grid: { left: 80, right: 16, top: 24, bottom: 56 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', name: valueName, scale: true },
    series: [{ type: 'bar', data: values, label: { show: true, position: 'top' } }],
  });
}
