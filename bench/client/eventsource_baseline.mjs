// eventsource_baseline.mjs -- the npm `eventsource` client under the same
// load as bench_client, for a baseline in the same run.
// SPDX-License-Identifier: MIT
//
//     node eventsource_baseline.mjs MODULE_DIR URL N
//
// MODULE_DIR holds node_modules/eventsource (npm install --prefix DIR
// eventsource@5). Opens N streams; when all are open it prints
// "open RSS_BEFORE RSS_OPEN" (bytes), then, when every stream has ended
// (each is closed at its first error, so it does not reconnect),
// "done EVENTS CPU_US WALL_MS". CPU is process.cpuUsage(), user + system.
import { pathToFileURL } from 'node:url';

const [dir, url, nArg] = process.argv.slice(2);
const n = Number(nArg);
const { EventSource } = await import(
  pathToFileURL(`${dir}/node_modules/eventsource/dist/index.js`).href);

const rssBefore = process.memoryUsage().rss;
let events = 0, open = 0, ended = 0, cpu0, t0;
for (let i = 0; i < n; i++) {
  const es = new EventSource(url);
  es.onopen = () => {
    if (++open === n) {
      console.log(`open ${rssBefore} ${process.memoryUsage().rss}`);
      cpu0 = process.cpuUsage();
      t0 = process.hrtime.bigint();
    }
  };
  es.onmessage = () => { events++; };
  es.onerror = () => {
    es.close();
    if (++ended === n) {
      const cpu = process.cpuUsage(cpu0);
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      console.log(`done ${events} ${cpu.user + cpu.system} ${wall}`);
      process.exit(0);
    }
  };
}
