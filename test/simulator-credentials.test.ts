/**
 * The simulator's credentials (simulator/vendors/*.js `credentials(baseUrl)`, `credentialsFor`): the one
 * place tests, e2e scenarios and the demo get a working credential from, so they must fill exactly the
 * fields of the vendor's n8n credential, every base URL pointing at the simulator.
 */
import { ADAPTERS } from './helpers/vendors';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulator = require('../simulator') as {
	VENDORS: Array<{ name: string }>;
	CREDENTIAL_TYPES: Record<string, string>;
	credentialsFor(vendor: string, baseUrl: string): Record<string, string>;
	ACCOUNTS: Record<string, Record<string, string>>;
};

const URL = 'http://127.0.0.1:8787';

describe('the simulator gives each vendor its credential', () => {
	it('covers every vendor of the contract battery, and no other', () => {
		expect(simulator.VENDORS.map((v) => v.name).sort()).toEqual(ADAPTERS.map((a) => a.vendor).sort());
	});

	it.each(ADAPTERS.map((adapter) => [adapter.vendor, adapter] as const))('%s: the type name and every field of the credential, no other', (vendor, adapter) => {
		const type = new adapter.credentialType();
		expect(simulator.CREDENTIAL_TYPES[vendor]).toBe(type.name);
		expect(type.name).toBe(adapter.credential);
		const fields = type.properties.filter((p) => p.type !== 'notice').map((p) => p.name);
		const data = simulator.credentialsFor(vendor, URL);
		expect(Object.keys(data).sort()).toEqual([...fields].sort());
		for (const field of fields.filter((name) => /baseUrl$/i.test(name))) expect(data[field]).toBe(URL);
		for (const [field, value] of Object.entries(data)) {
			if (!/baseUrl$/i.test(field)) expect(Object.values(simulator.ACCOUNTS[vendor])).toContain(value);
		}
	});

	it('gives a fresh object each time, so a test that changes one field changes no other test', () => {
		const first = simulator.credentialsFor('veesing', URL);
		first.appKey = 'changed';
		expect(simulator.credentialsFor('veesing', URL).appKey).not.toBe('changed');
	});

	it('names the vendors it has when asked for one it has not', () => {
		expect(() => simulator.credentialsFor('twilio', URL)).toThrow(/no vendor twilio/);
		// Every vendor of the one table is named, whatever their number.
		for (const { vendor } of ADAPTERS) expect(() => simulator.credentialsFor('twilio', URL)).toThrow(new RegExp(`[ ,]${vendor}[,)]`));
	});
});
