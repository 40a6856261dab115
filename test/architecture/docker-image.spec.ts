import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The Dockerfile's stages by name, each with its lines (a stage runs from its FROM to the next). */
function stages(): Map<string, string[]> {
  const text = readFileSync(path.join(__dirname, '../../docker/Dockerfile'), 'utf8');
  const out = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of text.split('\n')) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from) out.set(from[1], (current = []));
    current.push(line);
  }
  return out;
}

describe('the production container image', () => {
  const s = stages();
  it('is the default target (the last stage) and carries no sandbox code', () => {
    expect([...s.keys()].pop()).toBe('runtime');
    const runtime = s.get('runtime')!.join('\n');
    expect(runtime).not.toMatch(/COPY --from=build\S*\s+\S*\/app\/dist\s/); // never the whole dist (dist/sandbox is in it)
    expect(runtime).not.toMatch(/dist\/sandbox/);
    expect(runtime).toMatch(/rm -f dist\/scripts\/sandbox\.js/);
  });
  it('the sandbox has a target of its own for development', () => {
    expect(s.get('sandbox')!.join('\n')).toMatch(/dist\/scripts\/sandbox\.js/);
  });
});
