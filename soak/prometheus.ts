// Reading the server's /metrics text: the samples of one metric with their labels.

/** One sample of a metric. */
export interface MetricSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Every sample of `name` in a Prometheus text exposition. */
export function metricSamples(text: string, name: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels pass `filter`. */
export function metricSum(
  text: string,
  name: string,
  filter: (labels: Readonly<Record<string, string>>) => boolean = () => true,
): number {
  return metricSamples(text, name)
    .filter((s) => filter(s.labels))
    .reduce((sum, s) => sum + s.value, 0);
}
