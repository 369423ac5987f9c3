// The sandbox card's picture: boxes sized to their labels, never overlapping, at any number of targets.
import { describe, expect, it } from 'vitest';
import { topologyLayout } from '../../../app/_components/lab-pane/lab-placeholder.tsx';

describe('topologyLayout', () => {
  it("gives kind's four targets boxes that hold their labels, side by side without overlap", () => {
    const { width, boxes } = topologyLayout(['jumpbox', 'control-plane', 'worker', 'worker2']);
    for (const b of boxes) expect(b.width).toBeGreaterThanOrEqual(b.label.length * 7.6 + 22);
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.x).toBeGreaterThanOrEqual(boxes[i - 1]!.x + boxes[i - 1]!.width + 10);
    expect(boxes.at(-1)!.x + boxes.at(-1)!.width).toBeLessThanOrEqual(width - 16);
  });

  it('keeps the 300-unit picture for short labels (nodes-2)', () => {
    const { width, boxes } = topologyLayout(['node1', 'node2']);
    expect(width).toBe(300);
    expect(boxes[0]!.x + boxes[0]!.width / 2 + boxes[1]!.x + boxes[1]!.width / 2).toBeCloseTo(300, 5);
  });
});
