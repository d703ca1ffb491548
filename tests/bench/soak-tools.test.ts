/**
 * The soak's arithmetic: the heap-snapshot categories (machine code apart from bytecode, which is
 * how the hour-long run tells V8 tier-up from retained data) and the MB-per-hour slope.
 */
import { describe, expect, it } from 'vitest';
import { categoryOf } from './heap-snapshot';
import { slopeMbPerHour } from './screen-soak-bench';

describe('soak tools', () => {
  it('puts V8 machine code apart from bytecode and feedback, and the rest by node type', () => {
    expect(categoryOf('code:system / InstructionStream')).toBe('machine code (optimised, baseline)');
    expect(categoryOf('code:system / TrustedByteArray')).toBe('machine code (optimised, baseline)');
    expect(categoryOf('code:(constant pool)')).toBe('machine code (optimised, baseline)');
    expect(categoryOf('code:system / BytecodeArray')).toBe('bytecode, feedback, function info');
    expect(categoryOf('code:system / FeedbackVector')).toBe('bytecode, feedback, function info');
    expect(categoryOf('concatenated string')).toBe('strings');
    expect(categoryOf('object:Feature')).toBe('objects');
    expect(categoryOf('native:blink::NetworkResourcesData')).toBe('native (Blink)');
    expect(categoryOf('number')).toBe('other');
  });

  it('gives the least-squares slope in MB per hour from readings in minutes', () => {
    // About 1 MB over the hour, with noise around the line.
    expect(slopeMbPerHour([[0, 20], [15, 20.35], [30, 20.5], [45, 20.65], [60, 21]])).toBeCloseTo(0.92, 2);
    expect(slopeMbPerHour([[0, 20], [60, 20]])).toBe(0);
    expect(slopeMbPerHour([[0, 20]])).toBeNull();
    expect(slopeMbPerHour([[5, 20], [5, 21]])).toBeNull();
  });
});
