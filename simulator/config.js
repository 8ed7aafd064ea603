// @ts-check
'use strict';
// The simulator's configuration (README.md, "Configuration"): checks a change and applies it.

const { checkUrl } = require('./http');
const { faultSpec, integer, plainObject } = require('./faults');

/**
 * Applies `cfg` to the simulator's `config` (mutated, and returned).
 * @param {Record<string, any>} config @param {Record<string, any>} cfg
 * @param {(name: string) => import('./index').VendorModule} vendorNamed  the vendor module, or throws for an unknown name
 * @param {(name: string, value: unknown) => void} configureVendor  a vendor's own settings (`{ <vendor>: {…} }`)
 */
function applyConfig(config, cfg, vendorNamed, configureVendor) {
	const vendorKnown = (/** @type {string} */ name) => {
		try {
			vendorNamed(name);
			return true;
		} catch {
			return false;
		}
	};
	for (const [key, value] of Object.entries(cfg)) {
		if (key === 'autoPush') {
			for (const [name, urls] of Object.entries(value || {})) {
				vendorNamed(name);
				for (const [kind, u] of Object.entries(urls || {})) {
					if (kind !== 'delivery' && kind !== 'reply') throw new Error(`autoPush.${name}.${kind}: the kinds are delivery and reply`);
					if (u) checkUrl(u);
				}
				config.autoPush[name] = { ...config.autoPush[name], ...urls };
			}
		} else if (key === 'autoReply') {
			config.autoReply = Boolean(value);
		} else if (key === 'responseDelayMs' && value !== null && typeof value === 'object') {
			/** @type {Record<string, number>} */
			const delays = typeof config.responseDelayMs === 'object' ? { ...config.responseDelayMs } : {};
			for (const [name, ms] of Object.entries(value)) {
				vendorNamed(name);
				if (ms === null) delete delays[name];
				else delays[name] = Math.max(0, Number(ms) || 0);
			}
			config.responseDelayMs = delays;
		} else if (key === 'pushDelayMs' || key === 'retryDelayMs' || key === 'responseDelayMs') {
			config[key] = Math.max(0, Number(value) || 0);
		} else if (key === 'faults') {
			for (const [name, operations] of Object.entries(plainObject('faults', value))) {
				const vendor = vendorNamed(name);
				const faults = { ...config.faults[name] };
				for (const [operation, spec] of Object.entries(operations === null ? {} : plainObject(`faults.${name}`, operations))) {
					if (operation !== '*' && vendor.operations && !vendor.operations.includes(operation)) {
						throw new Error(`faults.${name}.${operation}: ${name} has no operation "${operation}"; it has ${vendor.operations.join(', ')} (or '*' for all)`);
					}
					if (spec === null) delete faults[operation];
					else faults[operation] = faultSpec(`faults.${name}.${operation}`, spec);
				}
				if (operations === null || Object.keys(faults).length === 0) delete config.faults[name];
				else config.faults[name] = faults;
			}
		} else if (key === 'throttle') {
			for (const [name, limit] of Object.entries(plainObject('throttle', value))) {
				vendorNamed(name);
				if (limit === null) {
					delete config.throttle[name];
					continue;
				}
				const { maxInFlight: max, ...rest } = plainObject(`throttle.${name}`, limit);
				if (Object.keys(rest).length) throw new Error(`throttle.${name}: the only option is maxInFlight, not ${Object.keys(rest).join(', ')}`);
				config.throttle[name] = { maxInFlight: integer(`throttle.${name}.maxInFlight`, max, 0) };
			}
		} else if (vendorKnown(key)) {
			configureVendor(key, value);
		} else {
			throw new Error(`unknown config key "${key}"`);
		}
	}
	return config;
}

module.exports = { applyConfig };
