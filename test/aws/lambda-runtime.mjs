// A stand-in for the Lambda Node.js runtime's bootstrap, for the emulated deploy (test/aws): loads the
// deployed handler from the unpacked deployment package and invokes it once with the event, as Lambda does
// for one asynchronous invocation. Plain JavaScript on bare Node, like the runtime: no transpiler in the path.
//   node lambda-runtime.mjs PACKAGE_DIR HANDLER EVENT_JSON
// Prints one line, {"result": ...} or {"error": {"errorType", "errorMessage"}}; exits 1 on an error, the
// way the runtime reports a failed invocation (Lambda would then retry it and send it to the DLQ).
import dns from 'node:dns';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The emulator's endpoint is http://localhost:PORT, and S3 addresses a bucket as a subdomain of it
// (virtual-hosted style, as in AWS). RFC 6761 (6.3) makes every *.localhost name loopback; glibc does not
// resolve them, so this stand-in for AWS's DNS does. Nothing else is resolved differently.
const systemLookup = dns.lookup;
dns.lookup = (hostname, options, callback) => {
  if (!/\.localhost\.?$/i.test(hostname)) return systemLookup(hostname, options, callback);
  const done = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options?.all;
  process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
};

const [dir, handlerSetting, eventJson] = process.argv.slice(2);
const [file, exportName] = handlerSetting.split('.');
// The runtime looks for FILE.mjs, then FILE.js (Lambda, "Designating a function handler as an ES module").
const candidates = [`${file}.mjs`, `${file}.js`].map((name) => join(dir, name));
const modulePath = candidates.find((path) => existsSync(path));

const report = (line, code) => {
  process.stdout.write(`${JSON.stringify(line)}\n`, () => process.exit(code));
};

try {
  if (!modulePath) throw new Error(`no ${candidates.join(' or ')} in the deployment package`);
  const handler = (await import(pathToFileURL(modulePath).href))[exportName];
  if (typeof handler !== 'function') throw new Error(`${handlerSetting} is not a function in ${modulePath}`);
  report({ result: await handler(JSON.parse(eventJson), {}) }, 0);
} catch (error) {
  report({ error: { errorType: error?.name ?? 'Error', errorMessage: error?.message ?? String(error) } }, 1);
}
