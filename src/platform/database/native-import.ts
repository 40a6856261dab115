import * as nodeModule from 'node:module';
import * as path from 'node:path';

type NativeModule = nodeModule.Module & { _compile(code: string, filename: string): void };
type ModuleClass = (new (id: string) => NativeModule) & { _nodeModulePaths(dir: string): string[] };

/**
 * `import(specifier)` by Node's own loader, resolved from `fromFile`, whatever loads this module.
 *
 * Under Jest's module system (a merchant's test file calling the test kit in `beforeAll`) every module is
 * compiled in Jest's vm context, where an `import()` dies with "A dynamic import callback was invoked
 * without --experimental-vm-modules"; and @swc/jest or ts-jest may rewrite it to a `require()`, which
 * cannot load an ESM-only package either. A function compiled by Node's CommonJS loader itself
 * (`Module#_compile`, also on the Module class Jest hands out, which extends Node's) imports through
 * Node's ESM loader, in the main context, with no flag: test/client/test-kit.e2e-spec.ts runs it from a
 * beforeAll and from a globalSetup. The code compiled is a constant, never the specifier.
 */
export function nativeImport<T>(specifier: string, fromFile: string): Promise<T> {
  const Module = nodeModule.Module as unknown as ModuleClass;
  const loader = new Module(fromFile);
  loader.filename = fromFile;
  loader.paths = Module._nodeModulePaths(path.dirname(fromFile));
  loader._compile('module.exports = (specifier) => import(specifier);', fromFile);
  return (loader.exports as (s: string) => Promise<T>)(specifier);
}
