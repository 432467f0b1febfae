import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The parts of a V8 .cpuprofile this reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Self time of every .cpuprofile in `dir`, in ms, by where the code comes from: a module of the
 * unminified `bundle` (its `// path` markers), Node's own JavaScript and C++ (charged to the first
 * bundle module up the stack, or to the event loop), garbage collection and idle time.
 */
export function selfTimeByModule(dir: string, bundle: string): Map<string, number> {
  const moduleAt = moduleIndex(readFileSync(bundle, 'utf8'));
  const bundleName = basename(bundle);
  const totals = new Map<string, number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const ours = (id: number) => byId.get(id)!.callFrame.url.endsWith(bundleName);
    const callerModule = (id: number): string => {
      for (let up = parent.get(id); up !== undefined; up = parent.get(up))
        if (ours(up)) return moduleAt(byId.get(up)!.callFrame.lineNumber);
      return 'the event loop (sockets, timers)';
    };
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)!.callFrame;
      let key: string;
      if (ours(id)) key = moduleAt(frame.lineNumber);
      else if (frame.url === '' && frame.functionName.startsWith('(')) key = frame.functionName;
      else key = `Node internals, from ${callerModule(id)}`;
      totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
  }
  return totals;
}

/** Line number -> the package or source folder that line of the bundle came from. */
function moduleIndex(source: string): (line: number) => string {
  const starts: Array<[number, string]> = [];
  source.split('\n').forEach((text, line) => {
    const marker = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(text);
    if (marker) starts.push([line, moduleGroup(marker[1]!)]);
  });
  return (line) => {
    let found = "esbuild's module wrappers (module set-up)";
    for (let lo = 0, hi = starts.length - 1; lo <= hi;) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]![0] <= line) [found, lo] = [starts[mid]![1], mid + 1];
      else hi = mid - 1;
    }
    return found;
  };
}

/** Our folders by name; the only packages bundled are got and what it needs (protobuf and MessagePack are our own). */
function moduleGroup(path: string): string {
  if (/node_modules\//.test(path)) return 'got and its dependencies';
  return path.replace(/^(\.\.\/)+/, '').replace(/[^/]+$/, '');
}
