#!/usr/bin/env node
// @ts-check
'use strict';
// Usage: node simulator/cli.js [--port 8787] [--host 127.0.0.1] [--push-delay-ms 200]

const { parseArgs } = require('node:util');
const { startSimulator, VENDORS } = require('./index');

async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '8787' },
			host: { type: 'string', default: '127.0.0.1' },
			'push-delay-ms': { type: 'string', default: '200' },
		},
	});
	const sim = await startSimulator({
		port: Number(values.port),
		host: values.host,
		pushDelayMs: Number(values['push-delay-ms']),
	});
	console.log(`Vendor simulator listening on ${sim.url}`);
	for (const vendor of VENDORS) {
		const creds = Object.entries(vendor.account).map(([k, v]) => `${k}=${v}`).join(' ');
		console.log(`  ${vendor.name}: ${creds}`);
	}
	console.log(`Control API: ${sim.url}/_sim/requests, /_sim/pushes, /_sim/config, /_sim/push (see simulator/README.md)`);

	const stop = () => {
		sim.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((err) => {
	console.error(err instanceof Error ? err.message : err);
	process.exit(1);
});
