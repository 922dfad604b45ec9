import { describe, expect, it } from 'vitest'
import { toHtml } from '../status-stream.tsx'
import { Sparkline, sparkPoints, sparkScale } from './sparkline.tsx'

const ys = (run: string) => run.split(' ').map((p) => Number(p.split(',')[1]))
const xs = (run: string) => run.split(' ').map((p) => Number(p.split(',')[0]))

describe('sparkPoints', () => {
  it('draws nothing for no values', () => {
    expect(sparkPoints([], 0, 100)).toEqual([])
  })

  it('spreads points over the full width, the minimum at the bottom and the maximum at the top', () => {
    const [run] = sparkPoints([0, 50, 100], 0, 100)
    expect(xs(run!)).toEqual([0, 60, 120])
    expect(ys(run!)).toEqual([27, 14, 1])
  })

  it('breaks the line at nulls and non-finite readings instead of drawing zero', () => {
    const runs = sparkPoints([10, 20, null, 30, Number.NaN, 40, 50], 0, 100)
    expect(runs).toHaveLength(3)
    expect(runs[0]!.split(' ')).toHaveLength(2)
    expect(runs[1]!.split(' ')).toHaveLength(1)
    expect(runs[2]!.split(' ')).toHaveLength(2)
    // x keeps the reading's place in time: the point after the gap is at index 3 of 7.
    expect(xs(runs[1]!)).toEqual([60])
    expect(sparkPoints([null, null], 0, 1)).toEqual([])
  })

  it('clamps readings outside min..max to the edges', () => {
    const [run] = sparkPoints([-50, 150], 0, 100)
    expect(ys(run!)).toEqual([27, 1])
  })

  it('draws a flat line in the middle of nowhere without dividing by zero when min equals max', () => {
    const [run] = sparkPoints([5, 5], 5, 5)
    expect(ys(run!)).toEqual([27, 27])
    expect(run).not.toContain('NaN')
  })
})

describe('Sparkline', () => {
  it('renders polylines for runs and a dot for a lone reading, labelled for screen readers', async () => {
    const html = await toHtml(<Sparkline values={[1, 2, null, 3]} label="GPU <load>" min={0} max={4} />)
    expect(html).toContain('role="img" aria-label="GPU &lt;load&gt;: now 3 · low 1 · high 3"')
    expect(html).toContain('<title>GPU &lt;load&gt;</title>')
    expect(html.match(/<polyline /g)).toHaveLength(1)
    expect(html.match(/<circle /g)).toHaveLength(1)
    expect(html).not.toContain('style=')
  })

  it('writes its scale beside the line, with the unit: now, lowest, highest', async () => {
    const html = await toHtml(
      <Sparkline
        values={[10, null, 55.5, 30]}
        label="GPU load"
        min={0}
        max={100}
        format={(v) => `${Math.round(v)} %`}
      />,
    )
    expect(html).toContain(
      '<span class="spark-scale" aria-hidden="true" data-spark-scale="">now 30 % · low 10 % · high 56 %</span>',
    )
    expect(sparkScale([1, null], String)).toBe('no reading now · low 1 · high 1')
    expect(sparkScale([null], String)).toBe('no readings yet')
  })

  it('scales to the readings when no bounds are given, including negatives', async () => {
    const html = await toHtml(<Sparkline values={[-10, 10]} label="x" />)
    const points = /points="([^"]+)"/.exec(html)![1]!
    expect(ys(points)).toEqual([27, 1])
  })
})
