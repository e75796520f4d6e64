#!/usr/bin/env node
// Summarises V8 CPU profiles (`node --cpu-prof`): the top frames by self time and by total
// time, and the time by package (kafkajs, ioredis, protobufjs, prom-client, pino, parley's own
// packages, Node internals, GC), as percentages of the busy (non-idle) time. One file or a
// directory of them (the newest per process name prefix is not guessed: every file is read).
//   node packages/loadtest/dist/bench/cpuprofile-summary.js PROFILE.cpuprofile [--top 15] [--from-sec S] [--to-sec S]
// (--from-sec / --to-sec: only the samples in that part of the profile, e.g. leaving start-up out)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { figureColumn, markdownTable, textColumn } from '../markdown-table';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FrameTime {
  readonly frame: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly wallMs: number;
  /** Sampled time not idle (program, GC and JavaScript). */
  readonly busyMs: number;
  readonly self: readonly FrameTime[];
  readonly total: readonly FrameTime[];
  readonly packages: readonly FrameTime[];
}

const IDLE = '(idle)';

function shortUrl(url: string): string {
  if (!url) return '';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  const m = /\/(packages|services)\/(.*)$/.exec(clean);
  if (m) return `${m[1]}/${m[2]}`;
  return clean.startsWith('node:') ? clean : path.basename(clean);
}

export function frameName(f: CallFrame): string {
  const name = f.functionName || '(anonymous)';
  const url = shortUrl(f.url);
  return url ? `${name} ${url}:${f.lineNumber + 1}` : name;
}

/** The package a frame belongs to: an npm package, a parley package, node internals, or V8's pseudo frames. */
export function packageOf(f: CallFrame): string {
  const url = f.url.replace(/^file:\/\//, '');
  if (!url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const m = /\/(packages|services)\/([^/]+)\//.exec(url);
  if (m) return `parley ${m[1] === 'services' ? 'service' : 'package'} ${m[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return 'other';
}

const top = (times: Map<string, number>, busyMs: number, n: number): FrameTime[] =>
  [...times]
    .filter(([frame]) => frame !== IDLE)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([frame, ms]) => ({ frame, ms, percent: (100 * ms) / busyMs }));

/** Seconds from the start of the profile: only samples in [fromSec, toSec) count. */
export interface ProfileWindow {
  readonly fromSec?: number;
  readonly toSec?: number;
}

export function summarise(profile: CpuProfile, n = 15, window: ProfileWindow = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByNode = new Map<number, number>();
  const fromUs = (window.fromSec ?? 0) * 1e6;
  const toUs = (window.toSec ?? Infinity) * 1e6;
  let atUs = 0;
  let firstUs = NaN;
  let lastUs = NaN;
  for (let i = 0; i < profile.samples.length; i++) {
    const deltaUs = profile.timeDeltas[i] ?? 0;
    atUs += deltaUs;
    if (atUs < fromUs || atUs >= toUs) continue;
    if (Number.isNaN(firstUs)) firstUs = atUs - deltaUs;
    lastUs = atUs;
    const id = profile.samples[i]!;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + deltaUs / 1000);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const packages = new Map<string, number>();
  let busyMs = 0;
  // Depth-first over the call tree, carrying how often each frame is on the current path, so a
  // recursive frame's total counts each sample once.
  const onPath = new Map<string, number>();
  const root = profile.nodes[0]!;
  const stack: Array<{ node: ProfileNode; leaving: boolean }> = [{ node: root, leaving: false }];
  while (stack.length > 0) {
    const { node, leaving } = stack.pop()!;
    const name = frameName(node.callFrame);
    if (leaving) {
      const c = onPath.get(name)! - 1;
      if (c === 0) onPath.delete(name);
      else onPath.set(name, c);
      continue;
    }
    onPath.set(name, (onPath.get(name) ?? 0) + 1);
    stack.push({ node, leaving: true });
    const ms = selfByNode.get(node.id) ?? 0;
    if (ms > 0 && node.callFrame.functionName !== IDLE) {
      busyMs += ms;
      self.set(name, (self.get(name) ?? 0) + ms);
      for (const frame of onPath.keys()) total.set(frame, (total.get(frame) ?? 0) + ms);
      const pkg = packageOf(node.callFrame);
      packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
    }
    for (const child of node.children ?? []) {
      const c = byId.get(child);
      if (c) stack.push({ node: c, leaving: false });
    }
  }
  total.delete(frameName(root.callFrame));
  return {
    wallMs: Number.isNaN(firstUs) ? 0 : (lastUs - firstUs) / 1000,
    busyMs,
    self: top(self, busyMs, n),
    total: top(total, busyMs, n),
    packages: top(packages, busyMs, n),
  };
}

/** The profile's length in seconds (the sum of its sample intervals). */
export function profileSeconds(profile: CpuProfile): number {
  let us = 0;
  for (const d of profile.timeDeltas) us += d;
  return us / 1e6;
}

/**
 * The profile as collapsed stacks ("root;caller;callee ms" per line, heaviest first), the
 * input of flame-graph tools (flamegraph.pl, speedscope): samples in the window, idle left out,
 * stacks under `minPercent` of the busy time dropped (their share is given on a last line).
 */
export function foldedStacks(profile: CpuProfile, window: ProfileWindow = {}, minPercent = 0.1): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const fromUs = (window.fromSec ?? 0) * 1e6;
  const toUs = (window.toSec ?? Infinity) * 1e6;
  const msByNode = new Map<number, number>();
  let atUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    atUs += profile.timeDeltas[i] ?? 0;
    if (atUs < fromUs || atUs >= toUs) continue;
    const id = profile.samples[i]!;
    msByNode.set(id, (msByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const msByStack = new Map<string, number>();
  let busyMs = 0;
  for (const [id, ms] of msByNode) {
    const leaf = byId.get(id);
    if (!leaf || leaf.callFrame.functionName === IDLE) continue;
    const frames: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const node = byId.get(at)!;
      if (parentOf.has(at)) frames.push(frameName(node.callFrame).replace(/;/g, ','));
    }
    const stack = frames.reverse().join(';');
    msByStack.set(stack, (msByStack.get(stack) ?? 0) + ms);
    busyMs += ms;
  }
  const kept = [...msByStack].filter(([, ms]) => (100 * ms) / busyMs >= minPercent).sort((a, b) => b[1] - a[1]);
  const droppedMs = busyMs - kept.reduce((sum, [, ms]) => sum + ms, 0);
  return [...kept.map(([stack, ms]) => `${stack} ${Math.round(ms)}`), ...(droppedMs >= 0.5 ? [`(stacks under ${minPercent} % each) ${Math.round(droppedMs)}`] : [])];
}

export function formatSummary(title: string, s: ProfileSummary): string {
  const table = (heading: string, rows: readonly FrameTime[]): string[] => [
    ...markdownTable(
      [textColumn(heading), figureColumn('ms'), figureColumn('% of busy')],
      rows.map((r) => [`\`${r.frame}\``, String(Math.round(r.ms)), r.percent.toFixed(1)]),
    ),
    '',
  ];
  return [
    `### ${title}`,
    '',
    `Samples over ${(s.wallMs / 1000).toFixed(1)} s, busy ${(s.busyMs / 1000).toFixed(1)} s (${((100 * s.busyMs) / s.wallMs).toFixed(0)} % of a core).`,
    '',
    ...table('by package', s.packages),
    ...table('top frames by self time', s.self),
    ...table('top frames by total time', s.total),
  ].join('\n');
}

function main(argv: readonly string[]): number {
  let n = 15;
  const window: { fromSec?: number; toSec?: number } = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') n = Number(argv[++i]);
    else if (argv[i] === '--from-sec') window.fromSec = Number(argv[++i]);
    else if (argv[i] === '--to-sec') window.toSec = Number(argv[++i]);
    else {
      const p = argv[i]!;
      if (!statSync(p).isDirectory()) files.push(p);
      else for (const f of readdirSync(p).sort()) if (f.endsWith('.cpuprofile')) files.push(path.join(p, f));
    }
  }
  if (files.length === 0 || !Number.isInteger(n) || n < 1) {
    process.stderr.write('usage: cpuprofile-summary.js FILE_OR_DIR... [--top N] [--from-sec S] [--to-sec S]\n');
    return 2;
  }
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    process.stdout.write(`${formatSummary(path.basename(file), summarise(profile, n, window))}\n`);
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
